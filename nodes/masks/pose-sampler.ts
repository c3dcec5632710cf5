import type { MaskPose } from './pose';
import { normal, randomInt, type RandomSource } from '../data/random';

/**
 * The reference distribution of pose and shape, and draws from it. We resample the reference's own poses
 * with Gaussian jitter (a smoothed bootstrap, i.e. sampling a Gaussian kernel density estimate) rather than
 * fit one multivariate Gaussian: CAMUS poses are a mixture (2CH and 4CH views, ED and ES, probe placements)
 * with correlated parameters (a larger heart sits lower), which a single Gaussian would smear into poses no
 * reference has. The jitter keeps 5000 draws from repeating the 1600 reference poses exactly, and the
 * variance correction of Silverman (1986, §6.4.1) keeps each parameter's mean and variance those of the
 * reference whatever the jitter.
 */

/** A pose to warp a mask to, in the target image's pixels. */
export interface TargetPose {
  /** Epicardium centroid [row, col], edge coordinates. */
  centre: [number, number];
  /** LV long-axis angle, degrees clockwise from up. */
  angle: number;
  /** Epicardium area, pixels. */
  epicardialArea: number;
  lvLaRatio: number;
  /** Epicardium height / width along and across the long axis. */
  aspect: number;
  /** Which reference pose was resampled (index into the poses given to fitPoseDistribution). */
  donor: number;
}

export interface PoseDistribution {
  /** [rows, cols] of the reference images: the target geometry. */
  size: [number, number];
  /** One vector per reference pose: centre row / H, centre col / W, angle, log area / (H·W), log LV/LA, log aspect. */
  vectors: number[][];
  mean: number[];
  std: number[];
}

export function fitPoseDistribution(poses: readonly MaskPose[], size: [number, number]): PoseDistribution {
  if (poses.length === 0) throw new Error('pose distribution: no reference pose to fit');
  const [height, width] = size;
  const vectors = poses.map((pose) => [
    pose.centre[0] / height,
    pose.centre[1] / width,
    pose.angle,
    Math.log(pose.epicardialArea / (height * width)),
    Math.log(pose.lvArea / pose.laArea),
    Math.log(pose.epicardiumHeight / pose.epicardiumWidth),
  ]);
  for (const [index, vector] of vectors.entries()) {
    if (!vector.every(Number.isFinite)) throw new Error(`pose distribution: reference pose ${index} has an empty LV, LA or epicardium`);
  }
  const mean = vectors[0].map((_, d) => vectors.reduce((sum, v) => sum + v[d], 0) / vectors.length);
  const std = mean.map((m, d) => Math.sqrt(vectors.reduce((sum, v) => sum + (v[d] - m) ** 2, 0) / vectors.length));
  return { size, vectors, mean, std };
}

/** `jitter`: kernel width as a fraction of each parameter's standard deviation (0 resamples exactly). */
export function samplePose(distribution: PoseDistribution, jitter: number, random: RandomSource): TargetPose {
  const donor = randomInt(random, distribution.vectors.length);
  const shrink = 1 / Math.sqrt(1 + jitter * jitter);
  const v = distribution.vectors[donor].map((value, d) => {
    const m = distribution.mean[d];
    return m + (value - m + jitter * distribution.std[d] * normal(random)) * shrink;
  });
  const [height, width] = distribution.size;
  return {
    centre: [v[0] * height, v[1] * width],
    angle: v[2],
    epicardialArea: Math.exp(v[3]) * height * width,
    lvLaRatio: Math.exp(v[4]),
    aspect: Math.exp(v[5]),
    donor,
  };
}
