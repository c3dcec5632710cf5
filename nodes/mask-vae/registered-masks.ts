import { promises as fs } from 'fs';
import * as path from 'path';
import { UserError } from '../../engine';
import { itemPixels, type Dataset } from '../data/dataset-artifact';
import { DEFAULT_MARGIN, registerMask, type RegistrationParams } from '../masks/registration';

/** Where train-mask-vae keeps the registration of every training mask, beside model.json. */
export const REGISTRATION_FILE = 'registration.json';
const FORMAT = 'cardigan-mask-registration/1';

/** Every mask of a dataset in the registered space, with the parameters that took it there. */
export interface RegisteredMasks {
  /** uint8 [N, size, size]. */
  masks: Uint8Array;
  size: number;
  margin: number;
  items: Array<{ id: string } & RegistrationParams>;
}

/**
 * Registers each mask (nodes/masks/registration.ts: centre the epicardium, LV long axis up, square crop
 * with a margin, resize to size × size). A mask with a label outside 0..3 or without LV and myocardium
 * cannot be registered: the error names the dataset and item.
 */
export function registerDataset(dataset: Dataset, size: number, from: string): RegisteredMasks {
  const [height, width] = dataset.manifest.size;
  const count = dataset.manifest.items.length;
  const masks = new Uint8Array(count * size * size);
  const items: RegisteredMasks['items'] = [];
  dataset.manifest.items.forEach((item, index) => {
    const data = itemPixels(dataset, index).mask;
    const where = `${from}: mask "${item.id}" (item ${index})`;
    const bad = data.findIndex((label) => label > 3);
    if (bad >= 0) throw new UserError(`${where} has label ${data[bad]} at pixel ${bad}; masks must hold 0 background, 1 LV, 2 myocardium, 3 LA`);
    let registered: ReturnType<typeof registerMask>;
    try {
      registered = registerMask({ height, width, data }, { size, margin: DEFAULT_MARGIN });
    } catch (error) {
      throw new UserError(`${where} cannot be registered (${(error as Error).message}); remove it or filter the masks first (filter-degenerate-masks)`);
    }
    masks.set(registered.registered.data, index * size * size);
    items.push({ id: item.id, ...registered.params });
  });
  return { masks, size, margin: DEFAULT_MARGIN, items };
}

/** registration.json: the margin, the registered size and each training mask's parameters, by id. */
export async function writeRegistrations(dir: string, registered: RegisteredMasks): Promise<void> {
  const json = { format: FORMAT, size: registered.size, margin: registered.margin, items: registered.items };
  await fs.writeFile(path.join(dir, REGISTRATION_FILE), JSON.stringify(json) + '\n');
}
