import * as tf from '@tensorflow/tfjs-core';
import { saveModel } from '../../nodes/nn/model-file';
import { UNet } from '../../nodes/segmentation/unet';

/**
 * A U-Net whose prediction is known without training: its weights pass the image straight through
 * the first encoder block and the last decoder block (every other weight is zero) to a 1×1
 * classifier whose logits are s·(k·x − c_k) for class k. The upper envelope of those lines puts
 * class k on intensities x in ((2k−1)/6, (2k+1)/6), so an image holding mask/3 is segmented as
 * exactly that mask. With s = 6000 the softmax is exactly one-hot in float32 (e^−1000 underflows),
 * so the predicted probabilities are the mask's one-hot encoding, bit for bit, and resample exactly
 * as the stored ground truth does (same ties, same arg-max).
 */

/** Logit scale s: the closest competing class is s/6 = 1000 below the right one. */
const SHARPNESS = 6000;
/** c_k: class k and k+1 tie at x = (2k+1)/6. */
const OFFSETS = [0, 1 / 6, 4 / 6, 9 / 6];

export function intensityUNet(): UNet {
  const model = new UNet({ inChannels: 1, classes: 4, initChannels: 2, seed: 1 });
  const set = (name: string, value: (shape: number[]) => tf.Tensor): void => {
    const weight = model.weights().find((w) => w.path === name);
    if (weight === undefined) throw new Error(`intensityUNet: no weight ${name}`);
    const tensor = value(weight.variable.shape);
    weight.variable.assign(tensor);
    tensor.dispose();
  };
  /** A 3×3 kernel that copies input channel `from` to output channel `to`. */
  const copy = (from: number, to: number) => (shape: number[]) => {
    const values = new Float32Array(shape.reduce((a, b) => a * b, 1));
    const [, kw, cin, cout] = shape;
    values[((1 * kw + 1) * cin + from) * cout + to] = 1;
    return tf.tensor(values, shape);
  };
  for (const { path, variable } of model.weights()) {
    if (path.endsWith('/gamma')) set(path, (shape) => tf.ones(shape));
    // Inference batch norm divides by sqrt(running_var + 1e-5): make that exactly 1.
    else if (path.endsWith('/running_var')) set(path, (shape) => tf.fill(shape, 1 - 1e-5));
    else set(path, () => tf.zerosLike(variable));
  }
  set('encoder1/conv1/kernel', copy(0, 0));
  set('encoder1/conv2/kernel', copy(0, 0));
  // decoder1 sees [upsampled decoder2 (2 channels), encoder1 skip (2 channels)]: take the skip's first.
  set('decoder1/conv1/kernel', copy(2, 0));
  set('decoder1/conv2/kernel', copy(0, 0));
  set('classifier/kernel', (shape) =>
    tf.tensor(
      OFFSETS.map((_, k) => SHARPNESS * k),
      shape,
    ),
  );
  set('classifier/bias', (shape) =>
    tf.tensor(
      OFFSETS.map((c) => -SHARPNESS * c),
      shape,
    ),
  );
  return model;
}

/** Saves the intensity U-Net as train-unet would, declaring the input size it was "trained" at. */
export async function saveIntensityUNet(dir: string, inputSize: [number, number]): Promise<void> {
  const model = intensityUNet();
  try {
    await saveModel(dir, model, { task: 'segmentation', inputSize });
  } finally {
    model.dispose();
  }
}
