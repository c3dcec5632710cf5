import { registerAdamStep } from './adam';
import { registerBatchNormTraining } from './batch-norm';
import { registerCpuKernelFixes } from './cpu';
import * as tf from '@tensorflow/tfjs-core';
import { registerGradients } from './gradients';
import { installLeanGradients } from './lean-gradients';
import { registerMaxUnpool } from './max-unpool';
import { registerPreluGradient } from './prelu';
import { registerWasmTrainingKernels } from './wasm';
import { registerWebGpuKernelFixes } from './webgpu';

/**
 * Everything cardigan adds to tfjs before training: gradient functions (with dilated convolution),
 * wasm training kernels, cpu and webgpu kernel corrections, the fused training batch norm, PReLU
 * gradient, max-unpooling and Adam step, and a backward pass that frees what it no longer needs. Idempotent; loads tfjs, so
 * call it only when a backend starts.
 */
export function registerCardiganKernels(): void {
  registerGradients();
  registerWasmTrainingKernels();
  registerCpuKernelFixes();
  registerWebGpuKernelFixes();
  registerBatchNormTraining();
  registerPreluGradient();
  registerMaxUnpool();
  registerAdamStep();
  installLeanGradients(tf);
}
