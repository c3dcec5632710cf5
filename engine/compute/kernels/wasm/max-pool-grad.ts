import {
  backend_util,
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  MaxPoolGrad,
  type MaxPoolGradAttrs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { floats, zeros } from './heap';

/**
 * For each pooling window, where its maximum is: the flat NHWC index of the first largest value
 * (row-major within the window, as TensorFlow and tfjs-backend-cpu choose), per channel, calling
 * `visit(outputIndex, inputIndex)` for every output element. Padding is never chosen.
 */
export function forEachWindowMax(x: Float32Array, info: backend_util.Conv2DInfo, visit: (out: number, at: number) => void): void {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  let out = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        best.fill(-Infinity);
        where.fill(-1);
        for (let ky = 0; ky < fh; ky += dilationHeight) {
          const y = oy * strideHeight - top + ky;
          if (y < 0 || y >= inHeight) continue;
          for (let kx = 0; kx < fw; kx += dilationWidth) {
            const xPos = ox * strideWidth - left + kx;
            if (xPos < 0 || xPos >= inWidth) continue;
            const base = ((b * inHeight + y) * inWidth + xPos) * c;
            for (let ch = 0; ch < c; ch++) {
              const value = x[base + ch];
              if (value > best[ch] || where[ch] < 0) {
                best[ch] = value;
                where[ch] = base + ch;
              }
            }
          }
        }
        for (let ch = 0; ch < c; ch++) visit(out++, where[ch]);
      }
    }
  }
}

/**
 * Replaces tfjs-backend-wasm 4.22's MaxPoolGrad, which gives every image after the first of a
 * batch a zero gradient (training with max-pooling silently learns from one image per batch).
 */
function maxPoolGrad(args: { inputs: { dy: TensorInfo; input: TensorInfo }; backend: KernelBackend; attrs: MaxPoolGradAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { filterSize, strides, pad, dimRoundingMode } = attrs;
  const info = backend_util.computePool2DInfo(inputs.input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const dx = zeros(backend, inputs.input.shape);
  const dxValues = floats(backend, dx);
  const dyValues = floats(backend, inputs.dy);
  forEachWindowMax(floats(backend, inputs.input), info, (out, at) => {
    if (at >= 0) dxValues[at] += dyValues[out];
  });
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
