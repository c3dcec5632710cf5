import * as path from 'path';
import { exists, UserError } from '../../engine';
import type { Phase, View } from '../data/dataset-artifact';
import type { ImageArray } from '../data/image';
import { readImage } from '../data/image-file';
import type { LabelMask } from '../data/label-mask';
import { readLabelMap } from '../masks/mask-files';
import { type CamusInfo, readCfg } from './cfg';
import type { CamusLayout, PatientEntry } from './layout';
import { infoFile } from './release';

/**
 * The files of one patient, checked before any pixel is read: every requested view has its Info cfg
 * and its ED/ES images, and every image its `_gt` mask. A testing/ patient of the original release
 * with no masks at all is unlabelled (the release withheld them) and is reported as such.
 */

export interface ItemFiles {
  patient: string;
  view: View;
  phase: Phase;
  image: string;
  mask: string;
  info: CamusInfo;
}

export type PatientFiles = { labelled: true; items: ItemFiles[] } | { labelled: false; reason: string };

export async function patientFiles(layout: CamusLayout, patient: PatientEntry, views: readonly View[], phases: readonly Phase[]): Promise<PatientFiles> {
  const files = layout.layout;
  const planned: Array<Omit<ItemFiles, 'info'> & { cfg: string }> = [];
  for (const view of views) {
    const images = phases.map((phase) => path.join(patient.dir, files.imageFile(patient.id, view, phase, false)));
    const present = await Promise.all(images.map(exists));
    if (!present.some(Boolean)) {
      throw new UserError(
        `${patient.dir}: the ${view} view is missing (no ${path.basename(images[0])}); every patient needs the views you load — restore its files, or load fewer views (views: [${views.filter((v) => v !== view).join(', ')}])`,
      );
    }
    phases.forEach((phase, k) => {
      if (!present[k]) throw new UserError(`${images[k]}: missing ${view} ${phase} image of ${patient.id}; restore it or leave ${phase} out of phases`);
      planned.push({
        patient: patient.id,
        view,
        phase,
        image: images[k],
        mask: path.join(patient.dir, files.imageFile(patient.id, view, phase, true)),
        cfg: path.join(patient.dir, infoFile(view)),
      });
    });
  }
  const masks = await Promise.all(planned.map((item) => exists(item.mask)));
  if (!masks.some(Boolean) && patient.folder === 'testing') {
    return { labelled: false, reason: `${patient.dir}: no _gt masks (the original release withheld the testing ground truth)` };
  }
  planned.forEach((item, k) => {
    if (!masks[k]) throw new UserError(`${item.mask}: missing ground truth for ${path.basename(item.image)}; every image needs its _gt mask`);
  });
  const infos = new Map<string, CamusInfo>();
  for (const item of planned) {
    if (infos.has(item.cfg)) continue;
    if (!(await exists(item.cfg))) throw new UserError(`${item.cfg}: missing; each view needs its Info cfg (image quality and ED/ES frames come from it)`);
    infos.set(item.cfg, await readCfg(item.cfg));
  }
  return { labelled: true, items: planned.map(({ cfg, ...item }) => ({ ...item, info: infos.get(cfg) as CamusInfo })) };
}

export interface LoadedPair {
  image: ImageArray;
  mask: LabelMask;
}

/** Reads an image and its mask (through the one label-map reader, which checks the labels) and checks that they belong together. */
export async function readPair(item: ItemFiles): Promise<LoadedPair> {
  const [image, mask] = await Promise.all([readImage(item.image), readLabelMap(item.mask)]);
  if (image.shape.length !== 2) throw new UserError(`${item.image}: a sequence of ${image.shape[0]} frames where a single ${item.phase} image was expected`);
  if (mask.height !== image.shape[0] || mask.width !== image.shape[1]) {
    throw new UserError(
      `${item.mask}: mask is ${mask.height}×${mask.width} but its image ${path.basename(item.image)} is ${image.shape.join('×')}; they must have the same size`,
    );
  }
  return { image, mask };
}
