import type { Dataset, DatasetItem } from '../../nodes/data/dataset-artifact';
import { featureMatrix, MASK_CLASSES } from '../../nodes/umap/features';

function item(id: string): DatasetItem {
  return { id, patient: id, view: '2CH', phase: 'ED', source: 'synthetic', nativeSize: [4, 4], spacing: [1, 1], nativeSpacing: [1, 1], split: 'train' };
}

// Two 4×4 items: the first all LV (1) but its top-left quarter LA (3); the second image a ramp.
const masks = new Uint8Array(32).fill(1);
for (const p of [0, 1, 4, 5]) masks[p] = 3;
const images = Float32Array.from({ length: 32 }, (_, i) => (i % 16) / 16);
const dataset: Dataset = { manifest: { format: 'cardigan-dataset/1', size: [4, 4], hasImages: true, items: [item('a'), item('b')] }, images, masks };

describe('featureMatrix', () => {
  test('masks become one-hot channels of label shares per cell', () => {
    const m = featureMatrix(dataset, [0], 'masks', 2);
    expect(m.cols).toBe(MASK_CLASSES * 4);
    // Channels in label order 0..3, each 2×2: LA fills the top-left cell, LV the other three.
    expect(Array.from(m.data)).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0, 0]);
  });

  test('images are area-averaged, items in the order asked', () => {
    const m = featureMatrix(dataset, [1, 0], 'images', 2);
    expect(m.rows).toBe(2);
    expect(Array.from(m.data.subarray(0, 4)).map((v) => v * 16)).toEqual([2.5, 4.5, 10.5, 12.5]);
  });

  test('refuses images from a mask-only dataset', () => {
    const maskOnly: Dataset = { manifest: { ...dataset.manifest, hasImages: false }, masks };
    expect(() => featureMatrix(maskOnly, [0], 'images', 2)).toThrow('mask-only');
  });
});
