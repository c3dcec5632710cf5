import { canonicalJson } from '../../engine/keys/canonical-json';
import { describeChange, diffFingerprints } from '../../engine/keys/explain';
import { CACHE_FORMAT_VERSION, type Fingerprint, staticParts, withInputs } from '../../engine/keys/fingerprint';
import { keyOf } from '../../engine/keys/key';
import { pythonReferences } from '../rig/references/python-references';
import { emitNode, readFolderNode } from '../rig/runtime-nodes';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

describe('canonical JSON', () => {
  test('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
  });

  test('refuses values JSON would silently rewrite', () => {
    expect(() => canonicalJson({ lr: NaN })).toThrow('canonical JSON: $.lr is NaN, which JSON cannot represent');
    expect(() => canonicalJson({ when: new Date(0) })).toThrow('canonical JSON: $.when is a Date, which is not plain JSON data');
    expect(() => canonicalJson([1, undefined])).toThrow('canonical JSON: $[1] is a undefined, which is not plain JSON data');
  });

  test('-0 and 0 are one value', () => {
    expect(canonicalJson({ x: -0 })).toBe(canonicalJson({ x: 0 }));
  });
});

describe('fingerprint and key', () => {
  const base = { id: 'n', type: 't-emit', inputs: {}, seed: 7 };

  test('the parts: type, version, params minus cosmetic ones, input hashes by port, seed, format', () => {
    const parts = withInputs(staticParts({ ...base, params: { value: 3, label: 'shown only', log: '/tmp/x' } }, emitNode), {
      z: ['h2'],
      a: ['h1', 'h0'],
      none: [],
    });
    expect(parts).toEqual({ format: CACHE_FORMAT_VERSION, type: 't-emit', version: 1, params: { value: 3 }, inputs: { a: ['h1', 'h0'], z: ['h2'] }, seed: 7 });
    expect(Object.keys(parts.inputs)).toEqual(['a', 'z']);
  });

  test('the key is sha256 of the canonical JSON: pinned, so that a change to it is a deliberate format bump', () => {
    const parts: Fingerprint = { format: 1, type: 't-emit', version: 1, params: { value: 3 }, inputs: { in: ['ab'] }, seed: 7 };
    expect(keyOf(parts).hash).toBe('0484c368dda45141d408f26f41e6fcf6fab1869893285b0911c7a928fb48b2c5');
    // The same from Python's own sorted, compact JSON: the key can be recomputed outside cardigan.
    const python = references.run(
      'import hashlib, json, sys; print(hashlib.sha256(json.dumps(json.loads(sys.argv[1]), sort_keys=True, separators=(",", ":")).encode()).hexdigest())',
      [JSON.stringify({ version: 1, type: 't-emit', seed: 7, params: { value: 3 }, inputs: { in: ['ab'] }, format: 1 })],
    );
    expect(python.trim()).toBe(keyOf(parts).hash);
  });

  test('external data joins the parts by its written path, only for node types that read some', () => {
    const node = { ...base, params: { folder: 'data' } };
    expect(staticParts(node, readFolderNode, { data: 'f1' })).toEqual({
      format: CACHE_FORMAT_VERSION,
      type: 't-read',
      version: 1,
      params: { folder: 'data' },
      external: { data: 'f1' },
      seed: 7,
    });
    expect(staticParts(node, readFolderNode, {})).not.toHaveProperty('external');
    const parts: Fingerprint = { format: 1, type: 't-read', version: 1, params: { folder: 'data' }, inputs: {}, seed: 7 };
    expect(keyOf({ ...parts, external: { data: 'f1' } }).hash).not.toBe(keyOf({ ...parts, external: { data: 'f2' } }).hash);
  });

  test('every part changes the key; fan-in order matters; param key order does not', () => {
    const parts: Fingerprint = { format: 1, type: 'x', version: 1, params: { a: 1, b: { c: 2 } }, inputs: { in: ['h1', 'h2'] }, seed: 1 };
    const key = keyOf(parts).hash;
    const variants: Fingerprint[] = [
      { ...parts, format: 2 },
      { ...parts, type: 'y' },
      { ...parts, version: 2 },
      { ...parts, params: { a: 1, b: { c: 3 } } },
      { ...parts, inputs: { in: ['h2', 'h1'] } },
      { ...parts, inputs: { other: ['h1', 'h2'] } },
      { ...parts, seed: 2 },
    ];
    for (const variant of variants) expect(keyOf(variant).hash).not.toBe(key);
    expect(keyOf({ ...parts, params: { b: { c: 2 }, a: 1 } }).hash).toBe(key);
  });
});

describe('explaining a changed key', () => {
  test('external data: changed, now missing, newly read, no longer read', () => {
    const was: Fingerprint = { format: 1, type: 't-read', version: 1, params: {}, inputs: {}, external: { data: 'f1', old: 'f3', gone: 'f4' }, seed: 1 };
    const now: Fingerprint = { ...was, external: { data: 'f2', gone: 'missing', extra: 'f5' } };
    expect(diffFingerprints(was, now).map((change) => describeChange(change))).toEqual([
      'external data changed: data',
      'external data now read: extra',
      'external data changed: gone (now missing)',
      'external data no longer read: old',
    ]);
  });

  const before: Fingerprint = {
    format: 1,
    type: 'train',
    version: 1,
    params: { lr: 0.001, opt: { beta: 0.9 }, epochs: 40 },
    inputs: { data: ['aaaaaaaa11'], val: ['cccccccc'] },
    seed: 3,
  };

  test('lists each part that changed, params by dotted path', () => {
    const after: Fingerprint = {
      ...before,
      version: 2,
      params: { lr: 0.002, opt: { beta: 0.9, eps: 1e-7 } },
      inputs: { data: ['bbbbbbbb22'], val: ['cccccccc'] },
      seed: 4,
    };
    const changes = diffFingerprints(before, after);
    expect(changes.map((change) => describeChange(change, { data: ['camus.train'] }))).toEqual([
      'node version 1 → 2',
      'params: epochs 40 → (unset), lr 0.001 → 0.002, opt.eps (unset) → 1e-7',
      'input data (camus.train): content aaaaaaaa → bbbbbbbb',
      'seed 3 → 4',
    ]);
  });

  test('a fan-in that grew says how many artifacts; static parts skip inputs', () => {
    const after: Fingerprint = { ...before, inputs: { data: ['aaaaaaaa11', 'dddddddd'], val: ['cccccccc'] } };
    expect(diffFingerprints(before, after).map((change) => describeChange(change))).toEqual(['input data: 1 → 2 artifacts']);
    const { inputs: _unused, ...parts } = after;
    void _unused;
    expect(diffFingerprints(before, parts)).toEqual([]);
  });
});
