import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { KernelBackend, TensorInfo, TypedArray } from '@tensorflow/tfjs-core';

/**
 * How a backend hands tensor memory to the kernels cardigan writes in JavaScript: views of the
 * wasm heap, or the cpu backend's typed arrays. One kernel body then serves both backends (cpu is
 * the tests' reference and the fallback).
 */
export interface Memory {
  read(info: TensorInfo): Float32Array;
  /** A new float32 tensor, and a writable view of it (on wasm, take views after all allocations: the heap may grow). */
  make(shape: number[]): { info: TensorInfo; values: Float32Array };
}

interface CpuBackend extends KernelBackend {
  data: { get(dataId: object): { values: TypedArray } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

export function wasmMemory(backend: KernelBackend): Memory {
  const wasm = backend as BackendWasm;
  return {
    read: (info) => wasm.typedArrayFromHeap(info) as Float32Array,
    make: (shape) => {
      const info = wasm.makeOutput(shape, 'float32');
      return { info, values: wasm.typedArrayFromHeap(info) as Float32Array };
    },
  };
}

export function cpuMemory(backend: KernelBackend): Memory {
  const cpu = backend as CpuBackend;
  return {
    read: (info) => cpu.data.get(info.dataId).values as Float32Array,
    make: (shape) => {
      const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
      return { info: cpu.makeTensorInfo(shape, 'float32', values), values };
    },
  };
}

/** The backends these JavaScript kernels are registered for. */
export const JS_KERNEL_BACKENDS = { wasm: wasmMemory, cpu: cpuMemory } as const;

/** Whether the current backend runs cardigan's JavaScript kernels (others use tfjs compositions). */
export function hasJsKernels(backendName: string): backendName is keyof typeof JS_KERNEL_BACKENDS {
  return backendName === 'wasm' || backendName === 'cpu';
}
