import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InputArtifact } from '../../engine/node-api';
import { writeDataset, type Dataset } from '../../nodes/data/dataset-artifact';
import type { LabelMask } from '../../nodes/masks/label-mask';

/** Writes same-sized masks as a mask-only dataset and returns it as a node input. */
export async function maskDatasetInput(masks: readonly LabelMask[], name: string): Promise<InputArtifact> {
  const [height, width] = [masks[0].height, masks[0].width];
  const data = new Uint8Array(masks.length * height * width);
  masks.forEach((mask, i) => data.set(mask.data, i * height * width));
  const dataset: Dataset = {
    manifest: {
      format: 'cardigan-dataset/1',
      size: [height, width],
      hasImages: false,
      items: masks.map((_, i) => ({
        id: `${name}${i}`,
        patient: `${name}${i}`,
        view: '4CH',
        phase: 'ED',
        source: 'synthetic',
        nativeSize: [height, width],
        spacing: [0.3, 0.3],
        nativeSpacing: [0.3, 0.3],
        split: 'none',
      })),
    },
    masks: data,
  };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `cardigan-${name}-`));
  await writeDataset(dir, dataset);
  return { dir, hash: name, type: 'dataset', from: `${name}.masks`, nodeId: name };
}
