import {
  backend_util,
  getKernel,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  Slice,
  type SliceAttrs,
  slice_util,
  SplitV,
  type SplitVAttrs,
  type TensorInfo,
  util,
} from '@tensorflow/tfjs-core';
import { asWasm } from './heap';

/**
 * Replaces tfjs-backend-wasm 4.22's Slice and SplitV, which read their input through `readSync`:
 * that copies the whole input out of the heap for every slice, so splitting Adam's flat update of
 * ENet's 325 weights (362k values) copied 470 MB per step and took 40 % of it. These copy only what
 * each output holds, straight from heap view to heap view: the same values, in the same layout.
 */
type HeapView = Float32Array | Int32Array | Uint8Array;

/**
 * Copies the box `begin`/`size` of an array of `shape` into `out` (row-major). Trailing axes taken
 * whole join the innermost contiguous run, so a slice along one axis is a few long copies.
 */
export function copyBox(x: HeapView, shape: number[], begin: number[], size: number[], out: HeapView): void {
  const rank = shape.length;
  if (rank === 0) {
    out[0] = x[0];
    return;
  }
  // The innermost axis `k` not taken whole; everything after it is contiguous with it.
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  const strides = util.computeStrides(shape);
  const stride = (axis: number) => (axis === rank - 1 ? 1 : strides[axis]);
  const run = size[k] * stride(k);
  const total = util.sizeFromShape(size);
  if (total === 0) return;
  const index = new Array<number>(k).fill(0);
  for (let o = 0; o < total; o += run) {
    let from = begin[k] * stride(k);
    for (let axis = 0; axis < k; axis++) from += (begin[axis] + index[axis]) * stride(axis);
    if (run < 16) for (let i = 0; i < run; i++) out[o + i] = x[from + i];
    else out.set(x.subarray(from, from + run), o);
    for (let axis = k - 1; axis >= 0; axis--) {
      if (++index[axis] < size[axis]) break;
      index[axis] = 0;
    }
  }
}

function sliceOf(backend: KernelBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const wasm = asWasm(backend);
  const out = wasm.makeOutput(size, x.dtype);
  // Views after the allocation (it may grow the heap and detach older ones).
  copyBox(wasm.typedArrayFromHeap(x) as HeapView, x.shape, begin, size, wasm.typedArrayFromHeap(out) as HeapView);
  return out;
}

let stockSlice: KernelConfig | undefined;

function slice(args: { inputs: { x: TensorInfo }; backend: KernelBackend; attrs: SliceAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  if (inputs.x.dtype === 'string') return (stockSlice as KernelConfig).kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
  const [begin, size] = slice_util.parseSliceParams(inputs.x, attrs.begin, attrs.size);
  return sliceOf(backend, inputs.x, begin, size);
}

function splitV(args: { inputs: { x: TensorInfo }; backend: KernelBackend; attrs: SplitVAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0];
  const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const out = slice({ inputs: { x }, backend, attrs: { begin: [...begin], size } });
    begin[axis] += s;
    return out;
  });
}

export const sliceConfig: KernelConfig = { kernelName: Slice, backendName: 'wasm', kernelFunc: slice as unknown as KernelFunc };
export const splitVConfig: KernelConfig = { kernelName: SplitV, backendName: 'wasm', kernelFunc: splitV as unknown as KernelFunc };

/** Remembers the stock Slice (for string tensors) before ours replaces it. */
export function captureStockSlicing(): void {
  const stock = getKernel(Slice, 'wasm');
  if (stock !== undefined && stock !== sliceConfig) stockSlice = stock;
}
