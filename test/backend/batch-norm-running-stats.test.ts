import * as tf from '@tensorflow/tfjs-core';
import { batchNormTraining, updateRunningStatistics } from '../../engine/compute/kernels/batch-norm';
import { varianceFromInvStd } from '../../engine/compute/kernels/batch-norm/math';
import { onBackend, seeded } from './compare-backends';

describe.each(['cpu', 'wasm'] as const)('batch norm statistics on %s, one kernel each', (backend) => {
  it('computes the variance from invStd as tf.sub(tf.div(1, tf.square(invStd)), ε) does, bit for bit', async () => {
    const [invStd, ops] = await onBackend(backend, () => {
      const inv = tf.add(tf.abs(seeded([500], 6)), 0.05);
      return [inv, tf.sub(tf.div(1, tf.square(inv)), 1e-3)];
    });
    const variance = new Float32Array(500);
    varianceFromInvStd(invStd, 1e-3, variance);
    expect(Array.from(variance)).toEqual(Array.from(ops));
  });

  it('gives the batch variance the three tfjs ops gave from invStd, and running statistics as the six ops did, bit for bit', async () => {
    const [variance, composedVariance, mean, runningMean, runningVariance, composedMean, composedVariance2] = await onBackend(backend, () => {
      const x = tf.add(tf.mul(seeded([4, 5, 6, 12], 1), 3), 0.5);
      const gamma = seeded([12], 2) as tf.Tensor1D;
      const beta = seeded([12], 3) as tf.Tensor1D;
      const epsilon = 1e-3;
      const result = batchNormTraining(x, gamma, beta, { epsilon });
      // The batch's biased variance, from the mean of squared deviations, within float32 rounding of the kernel's.
      const { variance: reference } = tf.moments(x, [0, 1, 2]);
      const [running, composed] = [0, 1].map(() => ({ mean: tf.variable(seeded([12], 4)), variance: tf.variable(tf.abs(seeded([12], 5))) }));
      updateRunningStatistics(running, result, 0.1, 4 * 5 * 6);
      const unbias = 120 / 119;
      composed.mean.assign(tf.add(tf.mul(composed.mean, 1 - 0.1), tf.mul(result.mean, 0.1)));
      composed.variance.assign(tf.add(tf.mul(composed.variance, 1 - 0.1), tf.mul(result.variance, 0.1 * unbias)));
      const out = [result.variance, reference, result.mean, running.mean, running.variance, composed.mean, composed.variance].map((t) => tf.clone(t));
      tf.dispose([result.y, result.mean, result.variance, running.mean, running.variance, composed.mean, composed.variance]);
      return out;
    });
    for (let c = 0; c < 12; c++) expect(Math.abs(variance[c] - composedVariance[c])).toBeLessThan(1e-5 * composedVariance[c]);
    expect(Array.from(runningMean)).toEqual(Array.from(composedMean));
    expect(Array.from(runningVariance)).toEqual(Array.from(composedVariance2));
    expect(Math.max(...Array.from(mean, Math.abs))).toBeGreaterThan(0.1);
  });
});
