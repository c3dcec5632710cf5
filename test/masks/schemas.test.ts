import Ajv from 'ajv';
import { NodeRegistry } from '../../engine/registry';
import { registerBuiltinNodes } from '../../nodes/types/index';

describe('mask node schemas', () => {
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  const ajv = new Ajv({ useDefaults: true, allErrors: true });

  it('fill the documented defaults', () => {
    const align: Record<string, unknown> = {};
    expect(ajv.validate(registry.get('align-mask-distribution').paramsSchema, align)).toBe(true);
    expect(align).toEqual({ jitter: 0.5, maxReshape: 2, bins: 30 });
    const load: Record<string, unknown> = { folder: 'masks' };
    expect(ajv.validate(registry.get('load-masks').paramsSchema, load)).toBe(true);
    expect(load).toEqual({ folder: 'masks', view: '4CH', phase: 'ED', spacing: [1, 1], cohort: null });
  });

  it('refuse unknown and out-of-range params', () => {
    expect(ajv.validate(registry.get('align-mask-distribution').paramsSchema, { maxReshape: 0.5 })).toBe(false);
    expect(ajv.validate(registry.get('align-mask-distribution').paramsSchema, { jiter: 1 })).toBe(false);
    expect(ajv.validate(registry.get('load-masks').paramsSchema, {})).toBe(false);
    expect(ajv.validate(registry.get('load-masks').paramsSchema, { folder: 'm', view: '3CH' })).toBe(false);
    expect(ajv.validate(registry.get('load-masks').paramsSchema, { folder: 'm', cohort: '' })).toBe(false);
    expect(ajv.validate(registry.get('load-masks').paramsSchema, { folder: 'm', cohort: 'synthetic:1' })).toBe(true);
  });
});
