import { type Dirent, promises as fs } from 'fs';
import * as path from 'path';
import { type NodeContext, type NodeInputs, type SubjectLineage, UserError } from '../../../engine';
import { writeDataset, type DatasetItem } from '../../data/dataset-artifact';
import { lineageOfItems } from '../../data/lineage';
import { CAMUS_COHORT } from '../../camus/camus-source';
import type { LoadMasksParams } from './node';
import type { LabelMask } from '../../data/label-mask';
import { isMaskFile, MASK_FILE_EXTENSIONS_TEXT, maskFileStem, readMaskFile } from '../../masks/mask-files';

/** Reads every mask file of the folder, in name order, into one mask-only dataset. */
export async function run(ctx: NodeContext, _inputs: NodeInputs, params: LoadMasksParams): Promise<void> {
  const folder = ctx.resolvePath(params.folder);
  const files = await maskFiles(folder);
  const masks: LabelMask[] = [];
  const items: DatasetItem[] = [];
  const firstFileOfId = new Map<string, string>();
  let size: [number, number] | undefined;
  let sizeFile = '';
  for (const [index, file] of files.entries()) {
    if (ctx.signal.aborted) throw new Error('load-masks: interrupted');
    const read = await readMaskFile(file);
    for (const [k, mask] of read.masks.entries()) {
      if (size === undefined) [size, sizeFile] = [[mask.height, mask.width], file];
      if (mask.height !== size[0] || mask.width !== size[1]) {
        throw new UserError(
          `${file}: mask is ${mask.height}×${mask.width} but ${path.basename(sizeFile)} is ${size[0]}×${size[1]}; every mask of a folder must have one size (resize them, or load each size from its own folder)`,
        );
      }
      const id = read.masks.length === 1 ? maskFileStem(file) : `${maskFileStem(file)}_${k}`;
      const clash = firstFileOfId.get(id);
      if (clash !== undefined) throw new UserError(`${file}: gives mask id "${id}", which ${path.basename(clash)} already gave; rename one of them`);
      firstFileOfId.set(id, file);
      masks.push(mask);
      items.push(itemFor(id, mask, read.spacing ?? params.spacing, params));
    }
    ctx.progress({ done: index + 1, total: files.length, unit: 'file' });
  }
  if (size === undefined) throw new UserError(`${folder}: no mask in the folder's mask files (${MASK_FILE_EXTENSIONS_TEXT})`);
  const data = new Uint8Array(masks.length * size[0] * size[1]);
  masks.forEach((mask, i) => data.set(mask.data, i * mask.data.length));
  await writeDataset(ctx.outputDir('masks'), {
    manifest: { format: 'cardigan-dataset/1', size, hasImages: false, items, lineage: maskLineage(items, params.cohort) },
    masks: data,
  });
  ctx.log(`${masks.length} masks of ${size[0]}×${size[1]} from ${files.length} files in ${folder}`);
}

/**
 * The patients behind the masks: all of the named cohort's, or, by default, those whose names are
 * CAMUS's (patientNNNN), which are taken to be real CAMUS patients: a folder of CAMUS masks is then
 * seen to hold them, and artificial masks hold no patient.
 */
function maskLineage(items: readonly DatasetItem[], cohort: string | null): SubjectLineage {
  if (cohort !== null) return lineageOfItems(items, cohort);
  return lineageOfItems(
    items.filter((item) => CAMUS_PATIENT.test(item.patient)),
    CAMUS_COHORT,
  );
}

const CAMUS_PATIENT = /^patient\d+$/i;

async function maskFiles(folder: string): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await fs.readdir(folder, { withFileTypes: true });
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw new UserError(`${folder}: the mask folder ${reason}; check load-masks' "folder" param`);
  }
  const names = entries.filter((e) => e.isFile() && isMaskFile(e.name)).map((e) => e.name);
  if (names.length === 0) throw new UserError(`${folder}: no mask file (${MASK_FILE_EXTENSIONS_TEXT}) in the folder`);
  // Numeric-aware so that mask2 comes before mask10; the same order on every machine.
  return names.sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).map((name) => path.join(folder, name));
}

/**
 * Reads view, phase and patient from CAMUS-like names (patient0001_2CH_ES_gt) where they are there;
 * `spacing` is the file's own (MetaImage, NIfTI) or else the params'.
 */
function itemFor(id: string, mask: LabelMask, spacing: [number, number], params: LoadMasksParams): DatasetItem {
  const view = /2CH/i.test(id) ? '2CH' : /4CH/i.test(id) ? '4CH' : params.view;
  const phase = /(^|[_-])ED([_-]|$)/i.test(id) ? 'ED' : /(^|[_-])ES([_-]|$)/i.test(id) ? 'ES' : params.phase;
  return {
    id,
    patient: /patient\d+/i.exec(id)?.[0] ?? id,
    view,
    phase,
    source: 'artificial-mask',
    nativeSize: [mask.height, mask.width],
    spacing,
    nativeSpacing: spacing,
    split: 'none',
  };
}
