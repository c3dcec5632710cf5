/**
 * Canonical JSON: object keys sorted at every depth, no whitespace. Two values that mean the same
 * thing serialise to the same bytes, so their hashes agree whatever order a YAML file or a `--set`
 * wrote the keys in.
 *
 * Hand-written rather than taken from a package because a cache key must refuse what plain JSON
 * silently rewrites: `NaN`/`Infinity` become `null`, `undefined` array items become `null` and a
 * Date becomes a string, and each would make two different params share one key.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$');
}

function encode(value: unknown, where: string): string {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`canonical JSON: ${where} is ${value}, which JSON cannot represent`);
    // -0 and 0 print the same; keep them one key rather than two.
    return JSON.stringify(value === 0 ? 0 : value);
  }
  if (Array.isArray(value)) {
    return `[${value.map((item, i) => encode(item, `${where}[${i}]`)).join(',')}]`;
  }
  if (typeof value === 'object' && isPlainObject(value)) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${encode(record[key], `${where}.${key}`)}`).join(',')}}`;
  }
  throw new Error(`canonical JSON: ${where} is a ${describe(value)}, which is not plain JSON data`);
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (typeof value === 'object' && value !== null) return (value.constructor as { name?: string } | undefined)?.name ?? 'object';
  return typeof value;
}
