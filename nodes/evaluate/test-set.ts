import * as path from 'path';
import { type InputArtifact, UserError } from '../../engine';
import { readDataset, type Dataset, type DatasetItem, MANIFEST_FILE } from '../data/dataset-artifact';
import { CLASSES } from './image-score';
import { resampleLabels, type Size } from './resample';
import type { Protocol, Resolution } from './model-summary';

/** The grid one test image is scored on. */
export interface Grid {
  size: Size;
  /**
   * [row, col] mm; null when the manifest gives none (absent, null or not positive): such an item is
   * scored for Dice only and left out of the distances and the clinical indices, which need mm.
   */
  spacing: [number, number] | null;
}

/** The reason an item without pixel spacing is left out (summary.json, clinical.csv, table1.md). */
export const NO_SPACING = 'no pixel spacing';

export interface TestSet {
  artifact: InputArtifact;
  dataset: Dataset & { images: Float32Array };
  /** [H, W] of the stored images and masks. */
  size: Size;
  /** Per item, the grid its metrics are computed on. */
  grids: Grid[];
}

function positivePair(value: unknown, integer: boolean): value is [number, number] {
  return (
    Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && v > 0 && Number.isFinite(v) && (!integer || Number.isInteger(v)))
  );
}

function gridOf(item: DatasetItem, size: Size, resolution: Resolution, manifest: string): Grid {
  const [sizeField, spacingField] = resolution === 'native' ? (['nativeSize', 'nativeSpacing'] as const) : ([undefined, 'spacing'] as const);
  const gridSize = sizeField === undefined ? size : item[sizeField];
  const spacing = item[spacingField];
  if (!positivePair(gridSize, true)) {
    throw new UserError(`${manifest}: item ${item.id} has ${sizeField} ${JSON.stringify(gridSize)}; it must be [rows, cols], positive integers`);
  }
  if (positivePair(spacing, false)) return { size: [gridSize[0], gridSize[1]], spacing: [spacing[0], spacing[1]] };
  // Missing spacing is data the test set lacks, not a broken file: that item is scored without mm
  // (NO_SPACING). Anything else (a string, three numbers, Infinity) is a malformed manifest.
  if (!isMissingSpacing(spacing)) {
    throw new UserError(`${manifest}: item ${item.id} has ${spacingField} ${JSON.stringify(spacing)}; it must be [row, col] in mm, positive numbers`);
  }
  return { size: [gridSize[0], gridSize[1]], spacing: null };
}

/** Absent, null, or two finite numbers not both positive (e.g. [0, 0], a converter's "unknown"). */
function isMissingSpacing(value: unknown): boolean {
  return (
    value === undefined || value === null || (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number' && Number.isFinite(v)))
  );
}

/** An item's stored-size spacing, or null when its manifest gives none (the type promises it, old or hand-made files may not). */
export function storedSpacing(item: DatasetItem): [number, number] | null {
  const spacing: unknown = item.spacing;
  return positivePair(spacing, false) ? spacing : null;
}

/** Reads the `test` input and checks it can be scored under the protocol; errors name the file and the fix. */
export async function readTestSet(artifact: InputArtifact, protocol: Protocol, resolution: Resolution): Promise<TestSet> {
  const dataset = await readDataset(artifact.dir);
  const manifest = path.join(artifact.dir, MANIFEST_FILE);
  const { items } = dataset.manifest;
  if (dataset.images === undefined) throw new UserError(`input "test" (${artifact.from}, ${manifest}) holds masks only; evaluation needs images to segment`);
  if (items.length === 0) throw new UserError(`input "test" (${artifact.from}, ${manifest}) has no items`);
  const size: Size = [dataset.manifest.size[0], dataset.manifest.size[1]];
  const bad = dataset.masks.findIndex((label) => label >= CLASSES);
  if (bad >= 0) {
    const item = items[Math.floor(bad / (size[0] * size[1]))];
    throw new UserError(
      `input "test" (${artifact.dir}): item ${item.id} has label ${dataset.masks[bad]}; masks must hold 0 background, 1 LV, 2 myocardium, 3 LA`,
    );
  }
  if (protocol === 'spade') {
    const real = items.filter((item) => item.source !== 'generated');
    if (real.length > 0) {
      throw new UserError(
        `protocol "spade" scores generated images against the masks they were generated from, but ${real.length} of ${items.length} items of input "test" (${artifact.from}) are not generated (e.g. ${real[0].id}, source ${real[0].source}); use protocol "segmentation" for a test set of real images`,
      );
    }
  }
  const effective: Resolution = protocol === 'spade' ? 'model' : resolution;
  return { artifact, dataset: dataset as Dataset & { images: Float32Array }, size, grids: items.map((item) => gridOf(item, size, effective, manifest)) };
}

/** Item i's ground truth on its grid (resampled like the predictions when the grid is not the stored one). */
export function groundTruthOnGrid(test: TestSet, index: number): Uint8Array {
  const pixels = test.size[0] * test.size[1];
  return resampleLabels(test.dataset.masks.subarray(index * pixels, (index + 1) * pixels), test.size, test.grids[index].size, CLASSES);
}

/** A file name for an item: its id when that is a plain name, else its position. */
export function itemFileStem(item: DatasetItem, index: number): string {
  return /^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,127}$/.test(item.id) && !item.id.includes('..') ? item.id : `item${String(index).padStart(5, '0')}`;
}
