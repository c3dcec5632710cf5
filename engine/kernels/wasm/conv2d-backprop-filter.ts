import {
  backend_util,
  Conv2DBackpropFilter,
  Conv2DBackpropFilterAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  TensorInfo,
} from '@tensorflow/tfjs-core';
import { release, runWasmKernel } from './run-kernel';

type Pad = Conv2DBackpropFilterAttrs['pad'];

/**
 * dW[i,j,c,o] = Σ_{n,y,x} X[n, y·s + i·d − top, x·s + j·d − left, c] · dY[n, y, x, o].
 *
 * Read with c as the batch, n as the input channel and dY as the filter, that sum is itself a
 * convolution: X transposed to [C,H,W,N] convolved with dY transposed to [OH,OW,N,O], whose stride
 * is the original dilation and whose dilation is the original stride, gives [C,KH,KW,O]. So the
 * gradient runs on XNNPACK's convolution (SIMD, cache-blocked) instead of a scalar loop.
 */
export function conv2dBackpropFilterNhwc(
  backend: KernelBackend,
  x: TensorInfo,
  dy: TensorInfo,
  filterShape: [number, number, number, number],
  strides: [number, number] | number,
  pad: Pad,
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
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;

  const xT = runWasmKernel('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = runWasmKernel('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });

  // The rows and columns the forward pass actually read; padding beyond them (or input rows it
  // never reached, with 'valid' padding and a stride) must not change the output size.
  const spanH = (filterHeight - 1) * dilationHeight + (outHeight - 1) * strideHeight + 1;
  const spanW = (filterWidth - 1) * dilationWidth + (outWidth - 1) * strideWidth + 1;
  const bottom = spanH - top - inHeight;
  const right = spanW - left - inWidth;
  const cropped =
    bottom < 0 || right < 0
      ? runWasmKernel('Slice', backend, { x: xT }, {
          begin: [0, 0, 0, 0],
          size: [xT.shape[0], inHeight + Math.min(bottom, 0), inWidth + Math.min(right, 0), xT.shape[3]],
        })
      : xT;

  const grad = runWasmKernel('Conv2D', backend, { x: cropped, filter: dyT }, {
    strides: [dilationHeight, dilationWidth],
    dilations: [strideHeight, strideWidth],
    pad: [[0, 0], [top, Math.max(bottom, 0)], [left, Math.max(right, 0)], [0, 0]],
    dataFormat: 'NHWC',
  });
  const dw = runWasmKernel('Transpose', backend, { x: grad }, { perm: [1, 2, 0, 3] });
  release(backend, xT, dyT, grad);
  if (cropped !== xT) release(backend, cropped);
  return dw;
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
  // NCHW: the wasm convolution only knows channels-last, so move channels last and back.
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
