import { promises as fs } from 'fs';
import * as path from 'path';
import { exists, UserError } from '../../engine';
import type { Split } from '../data/dataset-artifact';
import { deriveSeed, Random } from '../data/random';
import type { CamusLayout } from './layout';
import { foldListFile, officialListFile, SUBSETS, type Subset } from './release';

/**
 * Which patients go to train, val and test:
 * - `paper`: the paper's 400/50/50 of 500 patients, scaled to the cohort (10 % val, 10 % test, at least
 *   one each from 3 patients up), drawn by the seed;
 * - `official`: the 2023 release's database_split/subgroup_{training,validation,testing}.txt;
 * - `{fold: k}`: the cross-validation lists subGroup{k}_{training,validation,testing}.txt
 *   (in listSubGroups/ or database_split/).
 */

export type SplitSpec = 'paper' | 'official' | { fold: number };

export const SUBSET_SPLIT: Record<Subset, Exclude<Split, 'none'>> = { training: 'train', validation: 'val', testing: 'test' };

export function paperSplit(patients: readonly string[], seed: number): Map<string, Split> {
  const ids = [...patients].sort();
  const shuffled = new Random(deriveSeed(seed, 'paper-split')).shuffle(ids);
  const held = ids.length >= 3 ? Math.max(1, Math.round((ids.length * 50) / 500)) : 0;
  const out = new Map<string, Split>();
  shuffled.forEach((id, k) => out.set(id, k < held ? 'test' : k < 2 * held ? 'val' : 'train'));
  return out;
}

async function readList(file: string): Promise<string[]> {
  const text = await fs.readFile(file, 'utf8');
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
}

async function splitFromLists(layout: CamusLayout, files: Record<Subset, string>, what: string): Promise<Map<string, Split>> {
  const known = new Set(layout.patients.map((p) => p.id));
  const out = new Map<string, Split>();
  for (const subset of SUBSETS) {
    const file = files[subset];
    for (const [index, id] of (await readList(file)).entries()) {
      if (!known.has(id)) {
        throw new UserError(`${file}:${index + 1}: ${what} lists ${id}, which has no folder under ${layout.root}; restore the patient or fix the list`);
      }
      const previous = out.get(id);
      if (previous !== undefined) throw new UserError(`${file}:${index + 1}: ${id} is already in the ${previous} list; a patient belongs to one subset`);
      out.set(id, SUBSET_SPLIT[subset]);
    }
  }
  return out;
}

export async function assignSplit(layout: CamusLayout, spec: SplitSpec, seed: number): Promise<Map<string, Split>> {
  if (spec === 'paper')
    return paperSplit(
      layout.patients.map((p) => p.id),
      seed,
    );
  if (spec === 'official') {
    const folder = path.join(layout.root, layout.layout.splitFolder);
    const files = Object.fromEntries(SUBSETS.map((s) => [s, path.join(folder, officialListFile(s))])) as Record<Subset, string>;
    const present = await Promise.all(SUBSETS.map((s) => exists(files[s])));
    const absent = SUBSETS.filter((_, k) => !present[k]);
    if (absent.length > 0) {
      throw new UserError(
        `${folder}: no official split lists (${absent.map(officialListFile).join(', ')} missing); the 2023 release ships them in database_split/ — copy them there, or use split: paper or split: {fold: k}`,
      );
    }
    return splitFromLists(layout, files, 'the official split');
  }
  const fold = spec.fold;
  for (const folderName of layout.layout.foldFolders) {
    const folder = path.join(layout.root, folderName);
    const files = Object.fromEntries(SUBSETS.map((s) => [s, path.join(folder, foldListFile(fold, s))])) as Record<Subset, string>;
    const present = await Promise.all(SUBSETS.map((s) => exists(files[s])));
    if (present.every(Boolean)) return splitFromLists(layout, files, `fold ${fold}`);
  }
  throw new UserError(
    `${layout.root}: no lists for fold ${fold} (${SUBSETS.map((s) => foldListFile(fold, s)).join(', ')} in ${layout.layout.foldFolders.join('/ or ')}/); add them or use split: paper`,
  );
}
