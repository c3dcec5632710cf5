import {
  backend_util,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  MaxPoolWithArgmax,
  type MaxPoolWithArgmaxAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { asWasm, floats, ints } from './heap';
import { forEachWindowMax } from './max-pool-grad';

/**
 * Replaces tfjs-backend-wasm 4.22's MaxPoolWithArgmax, whose values and indices are garbage for
 * every image after the first of a batch. Indices are flat NHWC offsets, without the batch term
 * unless `includeBatchInIndex` (TensorFlow's convention).
 */
function maxPoolWithArgmax(args: { inputs: { x: TensorInfo }; backend: KernelBackend; attrs: MaxPoolWithArgmaxAttrs }): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { filterSize, strides, pad, includeBatchInIndex } = attrs;
  const info = backend_util.computePool2DInfo(inputs.x.shape as [number, number, number, number], filterSize, strides, [1, 1], pad);
  const wasm = asWasm(backend);
  const result = wasm.makeOutput(info.outShape, 'float32');
  const indexes = wasm.makeOutput(info.outShape, 'int32');
  const values = floats(backend, result);
  const where = ints(backend, indexes);
  const x = floats(backend, inputs.x);
  const imageSize = info.inHeight * info.inWidth * info.inChannels;
  forEachWindowMax(x, info, (out, at) => {
    values[out] = x[at];
    where[out] = includeBatchInIndex ? at : at % imageSize;
  });
  return [result, indexes];
}

export const maxPoolWithArgmaxConfig: KernelConfig = {
  kernelName: MaxPoolWithArgmax,
  backendName: 'wasm',
  kernelFunc: maxPoolWithArgmax as unknown as KernelFunc,
};
