import { nodeSeed } from '../../engine/experiment/node-seed';
import { pythonReferences } from '../rig/references/python-references';

/** Python's answers, committed under test/fixtures/references (see test/rig/references). */
const references = pythonReferences(__filename);

describe('nodeSeed', () => {
  const cases: [number, string][] = [
    [0, 'data'],
    [1, 'unet[train=camusx,lr=0.01]'],
    [4294967295, 'évaluation'],
  ];

  it('is the first 32 bits of sha256 over the JSON of (tag, experiment seed, node id), as Python computes it', () => {
    const python = references.run(
      [
        'import hashlib, json, sys',
        'for seed, node in json.loads(sys.argv[1]):',
        '    text = json.dumps(["cardigan-seed/1", seed, node], separators=(",", ":"), ensure_ascii=False)',
        '    print(int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big"))',
      ].join('\n'),
      [JSON.stringify(cases)],
    );
    expect(cases.map(([seed, id]) => nodeSeed(seed, id))).toEqual(python.trim().split('\n').map(Number));
  });

  it('changes with either the experiment seed or the node id', () => {
    expect(nodeSeed(1, 'a')).not.toBe(nodeSeed(2, 'a'));
    expect(nodeSeed(1, 'a')).not.toBe(nodeSeed(1, 'b'));
    expect(nodeSeed(1, 'a')).toBe(nodeSeed(1, 'a'));
  });
});
