import * as tf from '@tensorflow/tfjs-core';

export type SegmentationLoss = 'ce' | 'ce+dice';

export type LossTerms = {
  loss: tf.Scalar;
  /** The parts of a composite loss (`ce`, `dice`), empty for plain cross-entropy. */
  terms: Record<string, tf.Scalar>;
};

/** Laplace smoothing of the soft Dice, so that a class absent from prediction and batch scores 1. */
const SMOOTH = 1;

/**
 * The training loss of a segmentation net: pixel-wise cross-entropy, plus optionally a soft Dice loss
 * (1 − mean soft Dice over the foreground classes, sums over the whole batch). Returns the total and
 * its terms.
 *
 * @param logits [N, H, W, classes]
 * @param labels int32 [N, H, W]
 */
export function segmentationLoss(logits: tf.Tensor4D, labels: tf.Tensor3D, kind: SegmentationLoss): LossTerms {
  return tf.tidy<LossTerms>(() => {
    const classes = logits.shape[3];
    const oneHot = tf.oneHot(labels, classes) as tf.Tensor4D;
    const ce = tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 3))) as tf.Scalar;
    const none: Record<string, tf.Scalar> = {};
    if (kind === 'ce') return { loss: ce, terms: none };
    const dice = softDiceLoss(tf.softmax(logits) as tf.Tensor4D, oneHot);
    return { loss: tf.add(ce, dice) as tf.Scalar, terms: { ce, dice } };
  });
}

function softDiceLoss(probabilities: tf.Tensor4D, oneHot: tf.Tensor4D): tf.Scalar {
  const classes = probabilities.shape[3];
  // Background is left out, as in the CAMUS evaluation.
  const p = tf.slice(probabilities, [0, 0, 0, 1], [-1, -1, -1, classes - 1]);
  const g = tf.slice(oneHot, [0, 0, 0, 1], [-1, -1, -1, classes - 1]);
  const overlap = tf.sum(tf.mul(p, g), [0, 1, 2]);
  const total = tf.add(tf.sum(p, [0, 1, 2]), tf.sum(g, [0, 1, 2]));
  const dice = tf.div(tf.add(tf.mul(overlap, 2), SMOOTH), tf.add(total, SMOOTH));
  return tf.sub(1, tf.mean(dice)) as tf.Scalar;
}
