import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { InputArtifact } from '../../engine/node-api';
import { type Dataset, type DatasetItem, writeDataset } from '../../nodes/data/dataset-artifact';

/** A manifest entry with neutral defaults (its own patient, 4CH ED, synthetic, 1 mm pixels); tests set what they check. */
export function testItem(id: string, fields: Partial<DatasetItem> = {}): DatasetItem {
  return {
    id,
    patient: id,
    view: '4CH',
    phase: 'ED',
    source: 'synthetic',
    nativeSize: [1, 1],
    spacing: [1, 1],
    nativeSpacing: [1, 1],
    split: 'none',
    ...fields,
  };
}

/** Writes the dataset into a fresh temp folder and hands it over as the node input `<nodeId>.<port>`. */
export async function datasetInput(dataset: Dataset, nodeId: string, port = 'dataset'): Promise<InputArtifact> {
  const dir = path.join(await fs.mkdtemp(path.join(os.tmpdir(), `cardigan-${nodeId}-`)), port);
  await writeDataset(dir, dataset);
  return { dir, hash: nodeId, type: 'dataset', from: `${nodeId}.${port}`, nodeId };
}
