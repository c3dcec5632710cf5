import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { release, runWasmKernel } from './run-kernel';

/** Largest im2col block, in floats (64 MiB): bounds peak memory at 256×256, batch 8. */
let blockFloats = 16 * 1024 * 1024;

/** For tests that need several blocks from small tensors. Returns the previous limit. */
export function setIm2colBlockFloats(floats: number): number {
  const previous = blockFloats;
  blockFloats = floats;
  return previous;
}

/**
 * dW = A·dY, where A[(i,j,c), (n,y,x)] = X[n, y·s + i·d − top, x·s + j·d − left, c] (im2col,
 * transposed) and dY is viewed as [N·OH·OW, O]. Both operands are then in the layout XNNPACK's
 * GEMM takes without transposing (the stock BatchMatMul runs a scalar loop when asked to
 * transpose). A is built in JavaScript straight into the wasm heap from X moved to [C,N,H,W], so
 * each (i, j, c, n, y) copies one contiguous run of the row. Images are processed in blocks so A
 * stays under `blockFloats`, and the blocks' products summed.
 */
export function filterGradByMatmul(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const wasm = backend as BackendWasm;
  const { batchSize, inChannels, outChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const rows = filterHeight * filterWidth * inChannels;
  const perImage = outHeight * outWidth;
  const imagesPerBlock = Math.max(1, Math.min(batchSize, Math.floor(blockFloats / (rows * perImage))));

  const xT = runWasmKernel('Transpose', backend, { x }, { perm: [3, 0, 1, 2] });
  let sum: TensorInfo | undefined;
  for (let first = 0; first < batchSize; first += imagesPerBlock) {
    const count = Math.min(imagesPerBlock, batchSize - first);
    const patches = wasm.makeOutput([1, rows, count * perImage], 'float32');
    fillPatches(wasm.typedArrayFromHeap(xT) as Float32Array, wasm.typedArrayFromHeap(patches) as Float32Array, info, first, count);
    const grads = blockOfRows(wasm, dy, first * perImage, count * perImage, outChannels);
    const product = runWasmKernel('BatchMatMul', backend, { a: patches, b: grads }, { transposeA: false, transposeB: false });
    release(backend, patches, grads);
    if (sum === undefined) {
      sum = product;
    } else {
      const next = runWasmKernel('Add', backend, { a: sum, b: product });
      release(backend, sum, product);
      sum = next;
    }
  }
  release(backend, xT);
  const dw = runWasmKernel('Reshape', backend, { x: sum as TensorInfo }, { shape: [filterHeight, filterWidth, inChannels, outChannels] });
  release(backend, sum as TensorInfo);
  return dw;
}

/** Rows [first, first+count) of dY viewed as [N·OH·OW, O], as a [1, count, O] tensor. */
function blockOfRows(wasm: BackendWasm, dy: TensorInfo, first: number, count: number, channels: number): TensorInfo {
  const all = dy.shape[0] * dy.shape[1] * dy.shape[2];
  if (first === 0 && count === all) return runWasmKernel('Reshape', wasm, { x: dy }, { shape: [1, count, channels] });
  const block = wasm.makeOutput([1, count, channels], 'float32');
  const source = wasm.typedArrayFromHeap(dy) as Float32Array;
  (wasm.typedArrayFromHeap(block) as Float32Array).set(source.subarray(first * channels, (first + count) * channels));
  return block;
}

/** im2col of images [first, first+count) from X laid out [C, N, H, W] into A [(i,j,c), (n,y,x)]. */
function fillPatches(src: Float32Array, dst: Float32Array, info: backend_util.Conv2DInfo, first: number, count: number): void {
  const { batchSize, inChannels, inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const columns = count * outHeight * outWidth;
  let row = 0;
  for (let i = 0; i < filterHeight; i++) {
    for (let j = 0; j < filterWidth; j++) {
      const shift = j * dilationWidth - left;
      // Output columns whose input column x·s + shift lies inside the image.
      const lo = Math.min(outWidth, Math.max(0, Math.ceil(-shift / strideWidth)));
      const hi = Math.max(lo, Math.min(outWidth, Math.floor((inWidth - 1 - shift) / strideWidth) + 1));
      for (let c = 0; c < inChannels; c++, row++) {
        let out = row * columns;
        for (let n = first; n < first + count; n++) {
          for (let y = 0; y < outHeight; y++, out += outWidth) {
            const iy = y * strideHeight + i * dilationHeight - top;
            if (iy < 0 || iy >= inHeight || lo === hi) {
              dst.fill(0, out, out + outWidth);
              continue;
            }
            const base = ((c * batchSize + n) * inHeight + iy) * inWidth + shift;
            if (lo > 0) dst.fill(0, out, out + lo);
            if (strideWidth === 1) {
              dst.set(src.subarray(base + lo, base + hi), out + lo);
            } else {
              for (let xo = lo; xo < hi; xo++) dst[out + xo] = src[base + xo * strideWidth];
            }
            if (hi < outWidth) dst.fill(0, out + hi, out + outWidth);
          }
        }
      }
    }
  }
}
