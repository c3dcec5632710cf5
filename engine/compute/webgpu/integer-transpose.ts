import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * tfjs-backend-webgpu 4.22 transposes tensors of rank 3 and more with a shader that passes the
 * input element to `setOutputAtIndex`, which takes an f32: for int32 and bool tensors the WGSL
 * does not compile and the result is zeros. Sum, Max and the other reductions transpose first when
 * they reduce other axes than the last, so the Dice loss's Σ of one-hot labels over batch, rows
 * and columns came out 0 on webgpu. Such programs are given `setOutputAtIndexI32` instead (the
 * generator defines both), keeping the values exact; float32 transposes are untouched.
 */
interface ProgramLike {
  shaderKey: string;
  getUserCode(): string;
}

interface WebGpuRunner {
  runWebGPUProgram(program: ProgramLike, inputs: TensorInfo[], outputDtype: DataType, ...rest: unknown[]): TensorInfo;
}

const FIXED = Symbol('cardigan integer transpose');

export function fixIntegerTranspose(backend: WebGpuRunner): void {
  const marked = backend as WebGpuRunner & { [FIXED]?: true };
  if (marked[FIXED] === true) return;
  marked[FIXED] = true;
  const run = backend.runWebGPUProgram;
  backend.runWebGPUProgram = function (this: WebGpuRunner, program, inputs, outputDtype, ...rest) {
    if (program.constructor.name === 'TransposeProgram' && (outputDtype === 'int32' || outputDtype === 'bool')) asInteger(program);
    return run.call(this, program, inputs, outputDtype, ...rest);
  };
}

function asInteger(program: ProgramLike): void {
  const code = program.getUserCode.bind(program);
  program.getUserCode = () => {
    const source = code();
    if (!source.includes('setOutputAtIndex(flatIndex,'))
      throw new Error('tfjs-backend-webgpu changed its transpose shader: cardigan cannot fix its integer outputs');
    return source.replace('setOutputAtIndex(flatIndex,', 'setOutputAtIndexI32(flatIndex,');
  };
  program.shaderKey = `${program.shaderKey}_i32`;
}
