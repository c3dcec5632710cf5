import * as tf from '@tensorflow/tfjs-core';
import { JS_KERNEL_BACKENDS, hasJsKernels, type Memory } from '../memory';

/**
 * Batch norm's running statistics, as PyTorch keeps them (the variance unbiased):
 *   mean ← (1 − m)·mean + m·batchMean,  var ← (1 − m)·var + m·n/(n − 1)·batchVar.
 * On wasm and cpu one kernel in float32 arithmetic (each operation rounded as the ops it replaces
 * round), so the same values as those six ops and their four scalar uploads per layer (ENet has 84
 * layers); other backends run the ops.
 */
export const RUNNING_STATS = 'CardiganBatchNormRunningStats';

interface RunningStatsAttrs {
  /** 1 − momentum, momentum and momentum·n/(n − 1), as float32 scalars. */
  keep: number;
  meanWeight: number;
  varianceWeight: number;
}

function kernel(memory: (backend: tf.KernelBackend) => Memory): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { runningMean, runningVariance, mean, variance } = inputs as Record<'runningMean' | 'runningVariance' | 'mean' | 'variance', tf.TensorInfo>;
    const { keep, meanWeight, varianceWeight } = attrs as unknown as RunningStatsAttrs;
    const m = memory(backend as tf.KernelBackend);
    const nextMean = m.make(runningMean.shape).info;
    const nextVariance = m.make(runningVariance.shape).info;
    const [rm, rv, bm, bv, outMean, outVariance] = [runningMean, runningVariance, mean, variance, nextMean, nextVariance].map((t) => m.read(t));
    const f = Math.fround;
    for (let c = 0; c < rm.length; c++) {
      outMean[c] = f(f(rm[c] * keep) + f(bm[c] * meanWeight));
      outVariance[c] = f(f(rv[c] * keep) + f(bv[c] * varianceWeight));
    }
    return [nextMean, nextVariance];
  };
}

export const RUNNING_STATS_KERNELS: tf.KernelConfig[] = Object.entries(JS_KERNEL_BACKENDS).map(([backendName, memory]) => ({
  kernelName: RUNNING_STATS,
  backendName,
  kernelFunc: kernel(memory),
}));

/** Updates `running` with the statistics of a batch of `count` values per channel. */
export function updateRunningStatistics(
  running: { mean: tf.Variable; variance: tf.Variable },
  batch: { mean: tf.Tensor; variance: tf.Tensor },
  momentum: number,
  count: number,
): void {
  const unbias = count > 1 ? count / (count - 1) : 1;
  tf.tidy(() => {
    if (!hasJsKernels(tf.getBackend())) {
      running.mean.assign(tf.add(tf.mul(running.mean, 1 - momentum), tf.mul(batch.mean, momentum)));
      running.variance.assign(tf.add(tf.mul(running.variance, 1 - momentum), tf.mul(batch.variance, momentum * unbias)));
      return;
    }
    const f = Math.fround;
    const attrs: RunningStatsAttrs = { keep: f(1 - momentum), meanWeight: f(momentum), varianceWeight: f(momentum * unbias) };
    const inputs = { runningMean: running.mean, runningVariance: running.variance, mean: batch.mean, variance: batch.variance };
    const [mean, variance] = tf.engine().runKernel(RUNNING_STATS, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    running.mean.assign(mean);
    running.variance.assign(variance);
  });
}
