import schema from '../../schemas/experiment.schema.json';

type Schema = { [key: string]: unknown };

/** Every subschema a user can land on in an editor, with its path. */
function subschemas(node: Schema, at: string): [string, Schema][] {
  const found: [string, Schema][] = [[at, node]];
  const children: [string, unknown][] = [
    ...Object.entries((node.properties as Record<string, unknown>) ?? {}).map(([k, v]): [string, unknown] => [`${at}.${k}`, v]),
    ...Object.entries((node.definitions as Record<string, unknown>) ?? {}).map(([k, v]): [string, unknown] => [`#${k}`, v]),
    [`${at}[*]`, node.additionalProperties],
    [`${at}[]`, node.items],
  ];
  for (const [path, child] of children) {
    if (typeof child === 'object' && child !== null) found.push(...subschemas(child as Schema, path));
  }
  return found;
}

describe('schemas/experiment.schema.json', () => {
  it('is draft-07 and describes every key, for the VS Code YAML extension', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const undocumented = subschemas(schema as Schema, '')
      .filter(([, node]) => node.$ref === undefined)
      .filter(([, node]) => typeof node.description !== 'string' || node.description.length < 10)
      .map(([path]) => path);
    expect(undocumented).toEqual([]);
  });

  it('closes every mapping it defines, so typos are reported', () => {
    expect(schema.additionalProperties).toBe(false);
    expect(schema.definitions.node.additionalProperties).toBe(false);
  });
});
