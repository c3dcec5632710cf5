import * as tf from '@tensorflow/tfjs-core';
import { augmentBatch } from '../../nodes/segmentation/augment';
import { Rng } from '../../nodes/nn/training/rng';
import { useBackend } from './backend';
import { syntheticHearts } from './synthetic-hearts';

beforeAll(() => useBackend('wasm'));

describe('augmentBatch', () => {
  const data = syntheticHearts(4, 64, 2);
  const images = () => tf.tensor4d(data.images, [4, 64, 64, 1]);
  const labels = () => tf.tensor3d(Int32Array.from(data.masks), [4, 64, 64], 'int32');

  it('moves images and masks together, differently per image, and repeats with the seed', () => {
    const [x, y] = [images(), labels()];
    const a = augmentBatch(x, y, new Rng(1));
    const b = augmentBatch(x, y, new Rng(1));
    expect(Array.from(a.images.dataSync())).toEqual(Array.from(b.images.dataSync()));
    const moved = Array.from(a.labels.dataSync());
    const changed = moved.filter((label, i) => label !== data.masks[i]).length;
    expect(changed).toBeGreaterThan(0.02 * moved.length);
    // The myocardium is the only bright structure: after the move its pixels must still be bright.
    const pixels = a.images.dataSync();
    let myocardium = 0;
    let bright = 0;
    moved.forEach((label, i) => {
      if (label !== 2) return;
      myocardium++;
      if (pixels[i] > 0.55) bright++;
    });
    expect(myocardium).toBeGreaterThan(500);
    expect(bright / myocardium).toBeGreaterThan(0.9);
    tf.dispose([x, y, a.images, a.labels, b.images, b.labels]);
  });
});
