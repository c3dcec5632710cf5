import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { release, runWasmKernel } from './run-kernel';
import { spatialWindow } from './spatial-window';

/**
 * The filter of the sub-pixel decomposition: for stride s, output rows (and columns) of phase p use
 * only the taps p, p+s, p+2s… of the forward filter, flipped. Each phase's taps are zero-padded
 * to ⌈K/s⌉ and all s² phases stacked as output channels:
 *   G[t, u, o, (ph·s + pw)·C + c] = W[ph + s(KH'−1−t), pw + s(KW'−1−u), c, o].
 */
function phaseFilter(backend: KernelBackend, filter: TensorInfo, stride: number): TensorInfo {
  const [kh, kw, c, o] = filter.shape;
  const th = Math.ceil(kh / stride);
  const tw = Math.ceil(kw / stride);
  const padded = runWasmKernel(
    'PadV2',
    backend,
    { x: filter },
    {
      paddings: [
        [0, th * stride - kh],
        [0, tw * stride - kw],
        [0, 0],
        [0, 0],
      ],
      constantValue: 0,
    },
  );
  const split = runWasmKernel('Reshape', backend, { x: padded }, { shape: [th, stride, tw, stride, c, o] });
  const flipped = runWasmKernel('Reverse', backend, { x: split }, { dims: [0, 2] });
  const ordered = runWasmKernel('Transpose', backend, { x: flipped }, { perm: [0, 2, 5, 1, 3, 4] });
  const phases = runWasmKernel('Reshape', backend, { x: ordered }, { shape: [th, tw, o, stride * stride * c] });
  release(backend, padded, split, flipped, ordered);
  return phases;
}

/**
 * dX of a convolution as ONE forward XNNPACK convolution of dY with the phase filter, then a
 * depth-to-space that interleaves the s² phases (sub-pixel convolution), then a crop. Compared
 * with zero-inserting dY (s² times the work, mostly multiplications by zero), the only waste is
 * the zero taps of phases shorter than ⌈K/s⌉ (16 taps for 9 with a 3×3 filter at stride 2).
 * For stride 1 it is the textbook convolution with the flipped, transposed filter.
 */
export function conv2dBackpropInputNhwc(
  backend: KernelBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  inputShape: [number, number, number, number],
  stride: number,
  pad: Conv2DBackpropInputAttrs['pad'],
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): TensorInfo {
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    stride,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  // Output row i = s·q + p − top for phase p; q spans the rows of the phase grid that reach [0, H).
  const rows = phaseGrid(top, inHeight, outHeight, filterHeight, stride);
  const cols = phaseGrid(left, inWidth, outWidth, filterWidth, stride);

  const phases = phaseFilter(backend, filter, stride);
  const window = spatialWindow(backend, dy, rows.pad, cols.pad);
  const grid = runWasmKernel(
    'Conv2D',
    backend,
    { x: window.input, filter: phases },
    {
      strides: [1, 1],
      dilations: [1, 1],
      pad: window.pad,
      dataFormat: 'NHWC',
    },
  );
  release(backend, phases);
  if (window.sliced) release(backend, window.input);
  if (stride === 1) return grid;

  const interleaved = depthToSpace(backend, grid, stride);
  release(backend, grid);
  if (rows.skip === 0 && cols.skip === 0 && interleaved.shape[1] === inHeight && interleaved.shape[2] === inWidth) {
    return interleaved;
  }
  const dx = runWasmKernel(
    'Slice',
    backend,
    { x: interleaved },
    {
      begin: [0, rows.skip, cols.skip, 0],
      size: inputShape,
    },
  );
  release(backend, interleaved);
  return dx;
}

/**
 * [N, H, W, s·s·C] → [N, s·H, s·W, C], as reshape + transpose + reshape: XNNPACK's transpose moves
 * whole channel runs, 7× faster here than the stock DepthToSpace kernel's per-element loop.
 */
function depthToSpace(backend: KernelBackend, x: TensorInfo, block: number): TensorInfo {
  const [n, h, w, depth] = x.shape;
  const c = depth / (block * block);
  const split = runWasmKernel('Reshape', backend, { x }, { shape: [n, h, w, block, block, c] });
  const moved = runWasmKernel('Transpose', backend, { x: split }, { perm: [0, 1, 3, 2, 4, 5] });
  const out = runWasmKernel('Reshape', backend, { x: moved }, { shape: [n, h * block, w * block, c] });
  release(backend, split, moved);
  return out;
}

interface PhaseGrid {
  /** Padding (negative: cropping) of dY before and after, along this axis. */
  pad: [number, number];
  /** Rows of the interleaved result before output row 0. */
  skip: number;
}

function phaseGrid(before: number, inSize: number, outSize: number, kernel: number, stride: number): PhaseGrid {
  const taps = Math.ceil(kernel / stride);
  const first = Math.floor(before / stride);
  const last = Math.floor((inSize - 1 + before) / stride);
  const padBefore = taps - 1 - first;
  const padAfter = last - first + taps - outSize - padBefore;
  return { pad: [padBefore, padAfter], skip: before - stride * first };
}

/** The kernel this one replaces, kept for what it does not cover (unequal strides, NCHW). */
let fallback: KernelConfig | undefined;

function conv2dBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: KernelBackend; attrs: Conv2DBackpropInputAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
  if (dataFormat === 'NHWC' && sh === sw) {
    return conv2dBackpropInputNhwc(backend, inputs.dy, inputs.filter, inputShape, sh, pad, dimRoundingMode);
  }
  if (fallback === undefined) throw new Error('wasm Conv2DBackpropInput: the original kernel was not captured');
  return fallback.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelFunc,
  // The engine sets up the kernels registered when the backend starts; ours stands in for the stock
  // one there, so the fallback gets its wasm function bound either way.
  setupFunc: (backend) => fallback?.setupFunc?.(backend),
};

/** Remembers the stock kernel before ours replaces it. */
export function captureStockConv2dBackpropInput(stock: KernelConfig | undefined): void {
  if (stock !== undefined && stock !== conv2dBackpropInputConfig) fallback = stock;
}

/** The stock kernel, for the benchmark that compares it with ours. */
export function stockConv2dBackpropInput(): KernelConfig | undefined {
  return fallback;
}
