import {
  type KernelBackend,
  type KernelConfig,
  type KernelFunc,
  ResizeNearestNeighborGrad,
  type ResizeNearestNeighborGradAttrs,
  type TensorInfo,
  type TypedArray,
} from '@tensorflow/tfjs-core';

/** The source row (or column) that nearest-neighbour resizing copies to output index `i`, as tfjs's forward kernels compute it. */
export function nearestSource(i: number, inSize: number, outSize: number, alignCorners: boolean, halfPixelCenters: boolean): number {
  const ratio = alignCorners && outSize > 1 ? (inSize - 1) / (outSize - 1) : inSize / outSize;
  const fraction = halfPixelCenters ? ratio * (i + 0.5) : ratio * i;
  const nearest = Math.min(inSize - 1, alignCorners ? Math.round(fraction) : Math.floor(fraction));
  return halfPixelCenters ? Math.max(0, nearest) : nearest;
}

interface CpuBackend extends KernelBackend {
  data: { get(dataId: object): { values: TypedArray } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

/**
 * Replaces tfjs-backend-cpu 4.22's ResizeNearestNeighborGrad, which offsets dY by the image's batch
 * stride instead of dY's: every image after the first of a batch gets a wrong gradient (NaN when
 * downsizing). Written as the scatter-add of the forward copy, so it agrees with it by construction.
 */
function resizeNearestNeighborGrad(args: {
  inputs: { images: TensorInfo; dy: TensorInfo };
  backend: KernelBackend;
  attrs: ResizeNearestNeighborGradAttrs;
}): TensorInfo {
  const { inputs, attrs } = args;
  const backend = args.backend as CpuBackend;
  const { alignCorners, halfPixelCenters } = attrs;
  const [batch, inHeight, inWidth, channels] = inputs.images.shape;
  const [, outHeight, outWidth] = inputs.dy.shape;
  const dy = backend.data.get(inputs.dy.dataId).values;
  const dx = new Float32Array(batch * inHeight * inWidth * channels);
  const rows = Array.from({ length: outHeight }, (_, y) => nearestSource(y, inHeight, outHeight, alignCorners, halfPixelCenters));
  const cols = Array.from({ length: outWidth }, (_, x) => nearestSource(x, inWidth, outWidth, alignCorners, halfPixelCenters));
  let at = 0;
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < outHeight; y++) {
      for (let x = 0; x < outWidth; x++) {
        const target = ((b * inHeight + rows[y]) * inWidth + cols[x]) * channels;
        for (let c = 0; c < channels; c++) dx[target + c] += dy[at++];
      }
    }
  }
  return backend.makeTensorInfo(inputs.images.shape, 'float32', dx);
}

export const resizeNearestNeighborGradConfig: KernelConfig = {
  kernelName: ResizeNearestNeighborGrad,
  backendName: 'cpu',
  kernelFunc: resizeNearestNeighborGrad as unknown as KernelFunc,
};
