import { Label, type LabelMask } from '../../nodes/data/label-mask';
import { applyAffine, chain, compose, invert, rotation, scaling, translation, warpAffine } from '../../nodes/masks/warp';
import { pythonReferences } from '../rig/references/python-references';
import { drawHeart, UPRIGHT_HEART } from './draw-heart';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

function randomLabels(height: number, width: number, seed: number): LabelMask {
  const data = new Uint8Array(height * width);
  let state = seed;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    data[i] = state % 4;
  }
  return { height, width, data };
}

describe('warp', () => {
  it('composes in order of application and inverts exactly', () => {
    const a = chain(translation(3, -2), rotation(30), scaling(2, 0.5));
    const point: [number, number] = [4, 7];
    const stepwise = applyAffine(scaling(2, 0.5), applyAffine(rotation(30), applyAffine(translation(3, -2), point)));
    expect(applyAffine(a, point)[0]).toBeCloseTo(stepwise[0], 10);
    expect(applyAffine(a, point)[1]).toBeCloseTo(stepwise[1], 10);
    const back = applyAffine(compose(invert(a), a), point);
    expect(back[0]).toBeCloseTo(4, 10);
    expect(back[1]).toBeCloseTo(7, 10);
  });

  it('rotates clockwise on screen: up becomes right at 90°', () => {
    const [r, c] = applyAffine(rotation(90), [-1, 0]);
    expect(r).toBeCloseTo(0, 12);
    expect(c).toBeCloseTo(1, 12);
  });

  it('rotating a square mask by 90° about its centre permutes pixels exactly', () => {
    const size = 17;
    const mask = randomLabels(size, size, 7);
    const turned = warpAffine(mask, size, size, chain(translation(-size / 2, -size / 2), rotation(90), translation(size / 2, size / 2)));
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) expect(turned.data[c * size + (size - 1 - r)]).toBe(mask.data[r * size + c]);
    }
  });

  it('scales by 2 into 2×2 blocks and shifts by whole pixels with background coming in', () => {
    const mask = randomLabels(6, 5, 3);
    const doubled = warpAffine(mask, 12, 10, scaling(2));
    for (let r = 0; r < 12; r++) for (let c = 0; c < 10; c++) expect(doubled.data[r * 10 + c]).toBe(mask.data[(r >> 1) * 5 + (c >> 1)]);
    const shifted = warpAffine(mask, 6, 5, translation(2, -1));
    for (let c = 0; c < 5; c++) expect(shifted.data[c]).toBe(Label.background);
    expect(shifted.data[2 * 5 + 0]).toBe(mask.data[0 * 5 + 1]);
  });

  it('agrees with scipy.ndimage.affine_transform (order 0) up to rounding ties', () => {
    const mask = drawHeart(64, 64, { ...UPRIGHT_HEART, angle: 20 });
    const forward = chain(translation(-32, -30), rotation(-35), scaling(1.3, 0.9), translation(30, 34));
    const ours = warpAffine(mask, 60, 70, forward);
    // scipy maps output index o to input index M·o + offset; in edge coordinates index = edge − 0.5.
    const back = invert(forward);
    const offset = [back.t[0] + 0.5 * (back.m[0] + back.m[1]) - 0.5, back.t[1] + 0.5 * (back.m[2] + back.m[3]) - 0.5];
    const script = `
import sys, json, numpy as np
from scipy import ndimage
a = np.array(json.loads(sys.argv[1]), dtype=np.uint8).reshape(64, 64)
m = np.array(json.loads(sys.argv[2])).reshape(2, 2)
out = ndimage.affine_transform(a, m, offset=json.loads(sys.argv[3]), output_shape=(60, 70), order=0, mode='constant', cval=0)
print(json.dumps(out.ravel().tolist()))`;
    const theirs: number[] = JSON.parse(references.run(script, [JSON.stringify(Array.from(mask.data)), JSON.stringify(back.m), JSON.stringify(offset)]));
    let differing = 0;
    theirs.forEach((value, i) => (differing += value === ours.data[i] ? 0 : 1));
    expect(differing).toBeLessThanOrEqual(5);
  });
});
