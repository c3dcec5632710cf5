import { isSafeIdentifier, isSafeLabel, isSafeName, toSafeIdentifier } from '../../engine/experiment/safe-name';

describe('names that become folder names', () => {
  it('refuses anything that could leave the cache folder', () => {
    for (const bad of ['..', '../x', 'a/b', 'a\\b', '/abs', 'C:\\x', 'a\0b', '', ' a', 'a b', '-x', 'x.y', 'a'.repeat(65)]) {
      expect([bad, isSafeIdentifier(bad)]).toEqual([bad, false]);
    }
    for (const bad of ['..', 'a..b', '../x', 'a/b', '.hidden']) {
      expect([bad, isSafeLabel(bad), isSafeName(bad)]).toEqual([bad, false, false]);
    }
  });

  it('accepts ordinary ids, numeric labels and dotted names', () => {
    expect(['unet', 'train_unet-2', 'A1'].every(isSafeIdentifier)).toBe(true);
    expect(['0.001', '-1e-7', '1e+21', 'camus.train', 'sgd'].every(isSafeLabel)).toBe(true);
    expect(['paper', 'paper.small', 'v1-ablation'].every(isSafeName)).toBe(true);
  });

  it('suggests a safe id close to an unsafe one', () => {
    expect(['../x', 'a b/c', '...'].map(toSafeIdentifier)).toEqual(['x', 'a-b-c', 'node']);
    expect(['../x', 'a b/c', '...'].map(toSafeIdentifier).every(isSafeIdentifier)).toBe(true);
  });
});
