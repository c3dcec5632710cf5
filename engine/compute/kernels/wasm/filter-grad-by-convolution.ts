import type { backend_util, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';
import { release, runWasmKernel } from './run-kernel';
import { spatialWindow } from './spatial-window';

/**
 * dW[i,j,c,o] = Σ_{n,y,x} X[n, y·s + i·d − top, x·s + j·d − left, c] · dY[n, y, x, o].
 *
 * Read with c as the batch, n as the input channel and dY as the filter, that sum is itself a
 * convolution: X transposed to [C,H,W,N] convolved with dY transposed to [OH,OW,N,O], whose stride
 * is the original dilation and whose dilation is the original stride, gives [C,KH,KW,O]. So the
 * gradient runs on XNNPACK's convolution. It wins when the image is small and channels many; with
 * few channels per tap (the batch size) XNNPACK's indirect GEMM streams the huge dY filter once per
 * output block, so large images go to `filterGradByMatmul` instead.
 */
export function filterGradByConvolution(backend: KernelBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight, filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { inHeight, inWidth, outHeight, outWidth } = info;
  const { top, left } = info.padInfo;

  const xT = runWasmKernel('Transpose', backend, { x }, { perm: [3, 1, 2, 0] });
  const dyT = runWasmKernel('Transpose', backend, { x: dy }, { perm: [1, 2, 0, 3] });

  // Exactly the rows and columns the forward pass read: extra padding, or input rows it never
  // reached ('valid' padding with a stride), must not change the output size.
  const spanH = (filterHeight - 1) * dilationHeight + (outHeight - 1) * strideHeight + 1;
  const spanW = (filterWidth - 1) * dilationWidth + (outWidth - 1) * strideWidth + 1;
  const window = spatialWindow(backend, xT, [top, spanH - top - inHeight], [left, spanW - left - inWidth]);
  const grad = runWasmKernel(
    'Conv2D',
    backend,
    { x: window.input, filter: dyT },
    {
      strides: [dilationHeight, dilationWidth],
      dilations: [strideHeight, strideWidth],
      pad: window.pad,
      dataFormat: 'NHWC',
    },
  );
  const dw = runWasmKernel('Transpose', backend, { x: grad }, { perm: [1, 2, 0, 3] });
  release(backend, xT, dyT, grad);
  if (window.sliced) release(backend, window.input);
  return dw;
}
