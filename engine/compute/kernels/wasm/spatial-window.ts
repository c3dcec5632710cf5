import type { KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { runWasmKernel } from './run-kernel';

export type ExplicitPad = [[number, number], [number, number], [number, number], [number, number]];

/** An NHWC input narrowed to the rows and columns a convolution reads, plus the zero padding it still needs. */
export interface SpatialWindow {
  input: TensorInfo;
  pad: ExplicitPad;
  /** Whether `input` is a new tensor (the caller releases it) or the original. */
  sliced: boolean;
}

/**
 * XNNPACK takes only non-negative padding. A negative amount means "skip that many rows or
 * columns", so those edges are sliced off instead.
 */
export function spatialWindow(backend: KernelBackend, x: TensorInfo, [top, bottom]: [number, number], [left, right]: [number, number]): SpatialWindow {
  const pad: ExplicitPad = [
    [0, 0],
    [Math.max(top, 0), Math.max(bottom, 0)],
    [Math.max(left, 0), Math.max(right, 0)],
    [0, 0],
  ];
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return { input: x, pad, sliced: false };
  const [n, h, w, c] = x.shape;
  const skipTop = Math.max(-top, 0);
  const skipLeft = Math.max(-left, 0);
  const input = runWasmKernel(
    'Slice',
    backend,
    { x },
    {
      begin: [0, skipTop, skipLeft, 0],
      size: [n, h - skipTop - Math.max(-bottom, 0), w - skipLeft - Math.max(-right, 0), c],
    },
  );
  return { input, pad, sliced: true };
}
