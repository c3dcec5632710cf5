import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { filterGradByConvolution } from './filter-grad-by-convolution';
import { filterGradByMatmul } from './filter-grad-by-matmul';
import { filterGradPointwise, isPointwise } from './filter-grad-pointwise';
import { release, runWasmKernel } from './run-kernel';

export type FilterGradMethod = 'convolution' | 'matmul' | 'pointwise';

/**
 * Which formulation is faster, measured on U-Net's layers (`npm run bench -- kernels`): im2col +
 * GEMM wins from 32×32 outputs up (1.8× at 256×256, 9× with one input channel), the convolution
 * of transposed tensors on 16×16 and smaller with many channels, where im2col's row copies get short.
 * A 1×1 stride-1 convolution (ENet's projections and expansions) is a plain matrix product.
 */
export function chooseFilterGradMethod(info: backend_util.Conv2DInfo): FilterGradMethod {
  if (isPointwise(info)) return 'pointwise';
  return info.outHeight * info.outWidth >= 32 * 32 || info.inChannels <= 4 ? 'matmul' : 'convolution';
}

/** Overridable for the benchmark that compares both; `undefined` means choose by shape. */
let forced: FilterGradMethod | undefined;
export function forceFilterGradMethod(method: FilterGradMethod | undefined): void {
  forced = method;
}

export function conv2dBackpropFilterNhwc(
  backend: KernelBackend,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: [number, number, number, number],
  strides: [number, number] | number,
  pad: Conv2DBackpropFilterAttrs['pad'],
  dilations: [number, number] | number = 1,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): TensorInfo {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  // A forced 'pointwise' still needs a 1×1 stride-1 unpadded convolution.
  const method = forced === 'pointwise' && !isPointwise(info) ? chooseFilterGradMethod(info) : (forced ?? chooseFilterGradMethod(info));
  switch (method) {
    case 'pointwise':
      return filterGradPointwise(backend, x, dy, info);
    case 'matmul':
      return filterGradByMatmul(backend, x, dy, info);
    case 'convolution':
      return filterGradByConvolution(backend, x, dy, info);
  }
}

function conv2dBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: KernelBackend;
  attrs: Conv2DBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  if (dataFormat === 'NHWC') {
    return conv2dBackpropFilterNhwc(backend, inputs.x, inputs.dy, filterShape, strides, pad, 1, dimRoundingMode);
  }
  // NCHW: the wasm convolution only knows channels-last, so move channels last first.
  const x = runWasmKernel('Transpose', backend, { x: inputs.x }, { perm: [0, 2, 3, 1] });
  const dy = runWasmKernel('Transpose', backend, { x: inputs.dy }, { perm: [0, 2, 3, 1] });
  const dw = conv2dBackpropFilterNhwc(backend, x, dy, filterShape, strides, pad, 1, dimRoundingMode);
  release(backend, x, dy);
  return dw;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
