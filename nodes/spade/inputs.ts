import { type InputArtifact, UserError } from '../../engine';
import { type Dataset, readDataset } from '../data/dataset-artifact';
import { CLASSES } from './batch';
import { SIZE_MULTIPLE } from './generator';

/**
 * A dataset input for SPADE, checked with errors that name the port, its producer and folder:
 * not empty, labels 0..3, a size the generator can take, and images when `needImages`.
 */
export async function readSpadeInput(artifact: InputArtifact, port: string, needImages: boolean): Promise<Dataset> {
  const where = `input "${port}" (${artifact.from}, ${artifact.dir})`;
  const dataset = await readDataset(artifact.dir);
  const { items, size } = dataset.manifest;
  if (items.length === 0) throw new UserError(`${where} is empty`);
  if (needImages && dataset.images === undefined) throw new UserError(`${where} holds masks only; it needs images too`);
  const [h, w] = size;
  if (h % SIZE_MULTIPLE !== 0 || w % SIZE_MULTIPLE !== 0) {
    throw new UserError(
      `${where} is ${h}×${w}; SPADE needs height and width divisible by ${SIZE_MULTIPLE} (set the producing node's size to e.g. 64, 128 or 256)`,
    );
  }
  const bad = dataset.masks.findIndex((label) => label >= CLASSES);
  if (bad >= 0) {
    const item = items[Math.floor(bad / (h * w))];
    throw new UserError(`${where}: item ${item.id} has label ${dataset.masks[bad]}; masks must hold 0 background, 1 LV, 2 myocardium, 3 LA`);
  }
  return dataset;
}
