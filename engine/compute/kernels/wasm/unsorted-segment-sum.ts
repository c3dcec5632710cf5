import {
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
  UnsortedSegmentSum,
  type UnsortedSegmentSumAttrs,
  util,
} from '@tensorflow/tfjs-core';
import { asWasm, ints, zeros } from './heap';

/**
 * Missing from tfjs-backend-wasm 4.22; tf.gather's gradient needs it (index-based unpooling,
 * embedding lookups). out[s, ...] = Σ x[i, ...] over the rows i whose segment id is s; ids outside
 * [0, numSegments) are dropped, as in TensorFlow.
 */
function unsortedSegmentSum(args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: KernelBackend; attrs: UnsortedSegmentSumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, segmentIds } = inputs;
  const rows = util.sizeFromShape(segmentIds.shape);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const width = util.sizeFromShape(rowShape);
  const out = zeros(backend, [attrs.numSegments, ...rowShape], x.dtype);
  const ids = segmentIds.dtype === 'int32' ? ints(backend, segmentIds) : Int32Array.from(asWasm(backend).typedArrayFromHeap(segmentIds));
  const source = asWasm(backend).typedArrayFromHeap(x);
  const target = asWasm(backend).typedArrayFromHeap(out);
  for (let i = 0; i < rows; i++) {
    const segment = ids[i];
    if (segment < 0 || segment >= attrs.numSegments) continue;
    for (let j = 0; j < width; j++) target[segment * width + j] += source[i * width + j];
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum as unknown as KernelFunc,
};
