import { allItems, type Dataset, gatherItems } from '../../nodes/data/dataset-artifact';
import { testItem } from '../rig/dataset';

function dataset(name: string, count: number, first: number, withImages = true): Dataset {
  const items = Array.from({ length: count }, (_, i) => testItem(`${name}${i}`, { nativeSize: [2, 3] }));
  // Item i's six pixels all hold first + i, in the mask and (divided by 100) in the image.
  const masks = Uint8Array.from({ length: count * 6 }, (_, k) => first + Math.floor(k / 6));
  return {
    manifest: { format: 'cardigan-dataset/1', size: [2, 3], hasImages: withImages, items },
    masks,
    images: withImages ? Float32Array.from(masks, (v) => v / 100) : undefined,
  };
}

describe('gatherItems', () => {
  it('copies the selected items of several datasets, in the order asked, with their manifest entries', () => {
    const a = dataset('a', 3, 10);
    const b = dataset('b', 2, 20);
    const out = gatherItems([
      { dataset: a, indices: [2, 0] },
      { dataset: b, indices: allItems(b) },
    ]);
    expect(out.manifest.items.map((item) => item.id)).toEqual(['a2', 'a0', 'b0', 'b1']);
    expect(Array.from(out.masks.filter((_, k) => k % 6 === 0))).toEqual([12, 10, 20, 21]);
    expect(Array.from(out.images ?? []).filter((_, k) => k % 6 === 5)).toEqual([0.12, 0.1, 0.2, 0.21].map(Math.fround));
    expect(out.manifest.size).toEqual([2, 3]);
  });

  it('takes replacement manifest entries, one per item, and refuses parts that do not fit together', () => {
    const a = dataset('a', 2, 1, false);
    const renamed = a.manifest.items.map((item) => ({ ...item, id: `x/${item.id}` }));
    expect(gatherItems([{ dataset: a, indices: [0, 1] }], renamed).manifest.items.map((item) => item.id)).toEqual(['x/a0', 'x/a1']);
    expect(gatherItems([{ dataset: a, indices: [1] }]).images).toBeUndefined();
    expect(() => gatherItems([{ dataset: a, indices: [0] }], renamed)).toThrow('gatherItems: 2 manifest entries for 1 items');
    expect(() =>
      gatherItems([
        { dataset: a, indices: [0] },
        { dataset: dataset('b', 1, 0), indices: [0] },
      ]),
    ).toThrow('cannot join');
  });
});
