import type { InputArtifact } from '../../engine/node-api';
import { mulberry32 } from '../../nodes/data/random';
import { csvLine, float32Text } from '../../nodes/data/csv';
import { datasetLabels } from '../../nodes/umap/labels';
import { sampleIndices } from '../../nodes/umap/sample';

function artifact(from: string): InputArtifact {
  return { dir: `/tmp/${from}`, hash: from, type: 'dataset', from, nodeId: from.split('.')[0] };
}

describe('sampleIndices', () => {
  test('draws distinct indices in increasing order, the same ones for the same seed', () => {
    const first = sampleIndices(100, 10, mulberry32(4));
    expect(first).toHaveLength(10);
    expect(new Set(first).size).toBe(10);
    expect([...first].sort((a, b) => a - b)).toEqual(first);
    expect(first.every((i) => i >= 0 && i < 100)).toBe(true);
    expect(sampleIndices(100, 10, mulberry32(4))).toEqual(first);
    expect(sampleIndices(100, 10, mulberry32(5))).not.toEqual(first);
  });

  test('keeps everything when there are no more items than the maximum', () => {
    expect(sampleIndices(4, 10, mulberry32(1))).toEqual([0, 1, 2, 3]);
  });
});

describe('datasetLabels', () => {
  test('labels by node id, by reference where one node feeds two inputs, or as mapped', () => {
    expect(datasetLabels([artifact('camus.train'), artifact('camusx.dataset')])).toEqual(['camus', 'camusx']);
    expect(datasetLabels([artifact('camus.train'), artifact('camus.test')])).toEqual(['camus.train', 'camus.test']);
    expect(datasetLabels([artifact('camus.train'), artifact('camusx.dataset')], { camus: 'real', 'camusx.dataset': 'SPADE' })).toEqual(['real', 'SPADE']);
  });

  test('refuses a label key that names no input, suggesting the closest', () => {
    expect(() => datasetLabels([artifact('camus.train'), artifact('camusx.dataset')], { camsx: 'SPADE' })).toThrow(
      'params.labels: "camsx" is not one of the input datasets — did you mean "camusx"? (inputs: camus.train, camusx.dataset)',
    );
  });

  test('refuses two inputs with the same label', () => {
    expect(() => datasetLabels([artifact('a.x'), artifact('b.x')], { a: 'same', b: 'same' })).toThrow('inputs a.x and b.x are both labelled "same"');
  });
});

describe('csv', () => {
  test('quotes fields that need it', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 1.5])).toBe('a,"b,c","say ""hi""",1.5\n');
  });

  test('writes float32 values in few digits that read back exactly', () => {
    const random = mulberry32(3);
    for (let i = 0; i < 1000; i++) {
      const value = Math.fround((random() - 0.5) * 10 ** Math.floor(random() * 8 - 4));
      expect(Math.fround(Number(float32Text(value)))).toBe(value);
    }
    expect(float32Text(Math.fround(0.1))).toBe('0.1');
  });
});
