import type { KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { JS_KERNEL_BACKENDS, type Memory } from '../memory';
import { type Nhwc, poolWithMask, unpool, unpoolGrad } from './math';

export const MAX_POOL_MASK = 'CardiganMaxPool2x2Mask';
export const MAX_UNPOOL = 'CardiganMaxUnpool2x2';
export const MAX_UNPOOL_GRAD = 'CardiganMaxUnpool2x2Grad';

function nhwc(shape: number[]): Nhwc {
  const [batch, height, width, channels] = shape;
  return { batch, height, width, channels };
}

const half = ([n, h, w, c]: number[]) => [n, h / 2, w / 2, c];

/** x → [pooled, mask]. */
function pool(memory: (backend: KernelBackend) => Memory): KernelFunc {
  return ({ inputs, backend }) => {
    const { x } = inputs as { x: TensorInfo };
    const m = memory(backend as KernelBackend);
    const pooled = m.make(half(x.shape)).info;
    const mask = m.make(x.shape).info;
    poolWithMask(m.read(x), nhwc(x.shape), m.read(pooled), m.read(mask));
    return [pooled, mask];
  };
}

/** (y, mask) → unpooled, of the mask's shape. */
function unpoolKernel(memory: (backend: KernelBackend) => Memory): KernelFunc {
  return ({ inputs, backend }) => {
    const { y, mask } = inputs as { y: TensorInfo; mask: TensorInfo };
    const m = memory(backend as KernelBackend);
    const out = m.make(mask.shape).info;
    unpool(m.read(y), m.read(mask), nhwc(mask.shape), m.read(out));
    return out;
  };
}

/** (dy, mask) → the gradient of y. */
function unpoolGradKernel(memory: (backend: KernelBackend) => Memory): KernelFunc {
  return ({ inputs, backend }) => {
    const { dy, mask } = inputs as { dy: TensorInfo; mask: TensorInfo };
    const m = memory(backend as KernelBackend);
    const dValues = m.make(half(mask.shape)).info;
    unpoolGrad(m.read(dy), m.read(mask), nhwc(mask.shape), m.read(dValues));
    return dValues;
  };
}

export const MAX_UNPOOL_KERNELS: KernelConfig[] = Object.entries(JS_KERNEL_BACKENDS).flatMap(([backendName, memory]) => [
  { kernelName: MAX_POOL_MASK, backendName, kernelFunc: pool(memory) },
  { kernelName: MAX_UNPOOL, backendName, kernelFunc: unpoolKernel(memory) },
  { kernelName: MAX_UNPOOL_GRAD, backendName, kernelFunc: unpoolGradKernel(memory) },
]);
