import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Direct views of tensors in the wasm heap, for the kernels written in JavaScript: data-dependent
 * scatters and gathers with no XNNPACK counterpart, where V8's loops beat a chain of stock kernels.
 * Views must be taken after every allocation (the heap may grow, detaching older views).
 */
export function asWasm(backend: KernelBackend): BackendWasm {
  return backend as BackendWasm;
}

export function floats(backend: KernelBackend, info: TensorInfo): Float32Array {
  return asWasm(backend).typedArrayFromHeap(info) as Float32Array;
}

export function ints(backend: KernelBackend, info: TensorInfo): Int32Array {
  return asWasm(backend).typedArrayFromHeap(info) as Int32Array;
}

/** A new tensor in the wasm heap, zero-filled (the heap allocator does not clear). */
export function zeros(backend: KernelBackend, shape: number[], dtype: DataType = 'float32'): TensorInfo {
  const out = asWasm(backend).makeOutput(shape, dtype);
  asWasm(backend).typedArrayFromHeap(out).fill(0);
  return out;
}
