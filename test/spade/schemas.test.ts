import { paramsCheck } from '../../engine/experiment/validate';
import { node as generate } from '../../nodes/types/generate/node';
import { node as trainSpade } from '../../nodes/types/train-spade/node';

type Schema = { properties: Record<string, { description?: unknown; default?: unknown }> };

describe('SPADE node param schemas', () => {
  it.each([trainSpade, generate])('$type compiles as the engine compiles it, and every property has a description and a default', (node) => {
    const check = paramsCheck(node.paramsSchema);
    expect('error' in check ? check.error : undefined).toBeUndefined();
    const properties = (node.paramsSchema as Schema).properties;
    for (const [name, property] of Object.entries(properties)) {
      expect([name, typeof property.description]).toEqual([name, 'string']);
      expect([name, 'default' in property]).toEqual([name, true]);
    }
    expect(node.paramsSchema.additionalProperties).toBe(false);
  });

  it("train-spade's defaults are the paper's run: ngf = ndf = 48, batch 4, Adam (0, 0.999), lr 2e-4 decaying from epoch 30 of 50, flips, no VAE head", () => {
    const params: Record<string, unknown> = {};
    const check = paramsCheck(trainSpade.paramsSchema);
    if ('error' in check) throw new Error(check.error);
    expect(check(params)).toEqual([]);
    expect(params).toMatchObject({ ngf: 48, ndf: 48, numD: 2, hidden: 128, norm: 'batch', spectralNorm: true, vae: false, vgg19Weights: null });
    expect(params).toMatchObject({ lr: 2e-4, ttur: true, beta1: 0, beta2: 0.999, epochs: 50, decayFrom: 30, batchSize: 4, flip: true });
    expect(params).toMatchObject({ lambdaFeat: 10, lambdaKl: 0.05, lambdaVgg: 10 });
    expect(check({ norm: 'group' }).length).toBeGreaterThan(0);
  });
});
