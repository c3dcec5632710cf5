import Ajv from 'ajv';
import { node as loadCamus } from '../../nodes/types/load-camus/node';
import { IMAGE_QUALITIES } from '../../nodes/camus/cfg';
import { node as mergeDatasets } from '../../nodes/types/merge-datasets/node';

type Schema = Record<string, unknown>;

/** Paths of properties (at any depth, in oneOf branches too) that lack a description. */
function undescribed(schema: Schema, at = ''): string[] {
  const missing: string[] = [];
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  for (const [name, property] of Object.entries(properties)) {
    if (typeof property.description !== 'string' || property.description.length === 0) missing.push(`${at}/${name}`);
    missing.push(...undescribed(property, `${at}/${name}`));
  }
  for (const key of ['oneOf', 'anyOf'] as const) for (const branch of (schema[key] ?? []) as Schema[]) missing.push(...undescribed(branch, at));
  if (typeof schema.additionalProperties === 'object') missing.push(...undescribed(schema.additionalProperties as Schema, `${at}/*`));
  if (typeof schema.items === 'object') missing.push(...undescribed(schema.items as Schema, `${at}[]`));
  return missing;
}

describe('node param schemas', () => {
  const ajv = new Ajv({ useDefaults: true, strict: true, allErrors: true });

  it.each([loadCamus, mergeDatasets])('$type compiles under strict ajv and describes every property', (node) => {
    expect(() => ajv.compile(node.paramsSchema)).not.toThrow();
    expect(undescribed(node.paramsSchema)).toEqual([]);
    expect(node.paramsSchema.additionalProperties).toBe(false);
  });

  it('fills every load-camus default the node reads (the node refills none)', () => {
    const params = {};
    expect(ajv.compile(loadCamus.paramsSchema)(params)).toBe(true);
    expect(params).toEqual({
      source: { synthetic: { patients: 500, seed: 1, format: 'nifti' } },
      views: ['2CH', '4CH'],
      phases: ['ED', 'ES'],
      size: 256,
      split: 'paper',
      quality: [...IMAGE_QUALITIES],
    });
  });

  it('refuses a misspelt split and an unknown view', () => {
    const validate = ajv.compile(loadCamus.paramsSchema);
    expect(validate({ split: 'papr', views: ['3CH'] })).toBe(false);
    expect(validate({ split: { fold: 3 }, source: 'data/CAMUS_public' })).toBe(true);
  });
});
