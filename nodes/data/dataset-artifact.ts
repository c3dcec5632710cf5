import { promises as fs } from 'fs';
import * as path from 'path';
import type { SubjectLineage } from '../../engine';
import { readNpy, writeNpy } from './npy';

/**
 * The dataset artifact (DESIGN.md §4): `manifest.json` + `images.npy` (float32 [N,H,W], 0..1) +
 * `masks.npy` (uint8 [N,H,W], 0 background, 1 LV, 2 myocardium, 3 LA). Every node that produces or
 * consumes images and masks goes through this one module.
 */

export type View = '2CH' | '4CH';
export type Phase = 'ED' | 'ES';
export type ItemSource = 'real' | 'synthetic' | 'generated' | 'artificial-mask';
export type Split = 'train' | 'val' | 'test' | 'none';

export interface DatasetItem {
  /** Unique within the dataset, e.g. `patient0001_4CH_ED`. */
  id: string;
  patient: string;
  view: View;
  phase: Phase;
  source: ItemSource;
  /** [rows, cols] of the image as acquired, before any resampling. */
  nativeSize: [number, number];
  /** Pixel spacing in mm as [row, col] at the stored size. */
  spacing: [number, number];
  /** Spacing in mm as [row, col] at the native size. */
  nativeSpacing: [number, number];
  split: Split;
  /** Free-form provenance (image quality, generator model key, source mask id...). */
  extra?: Record<string, string | number | boolean>;
}

export interface DatasetManifest {
  format: 'cardigan-dataset/1';
  /** [H, W] of every stored image and mask. */
  size: [number, number];
  /** False for mask-only datasets (sampled masks): images.npy is then absent. */
  hasImages: boolean;
  items: DatasetItem[];
  /**
   * The patients behind the whole dataset (nodes/data/lineage.ts): its items' own, and those the
   * models that made them learnt from. Every built-in node writes it; absent in datasets from before.
   */
  lineage?: SubjectLineage;
}

export interface Dataset {
  manifest: DatasetManifest;
  /** float32 [N*H*W] in 0..1, or undefined for a mask-only dataset. */
  images?: Float32Array;
  /** uint8 [N*H*W] labels 0..3. */
  masks: Uint8Array;
}

export const MANIFEST_FILE = 'manifest.json';
export const IMAGES_FILE = 'images.npy';
export const MASKS_FILE = 'masks.npy';

export async function writeDataset(dir: string, dataset: Dataset): Promise<void> {
  const { manifest, images, masks } = dataset;
  const [h, w] = manifest.size;
  const n = manifest.items.length;
  if (masks.length !== n * h * w) {
    throw new Error(`dataset: ${n} items of ${h}×${w} need ${n * h * w} mask values, got ${masks.length}`);
  }
  if (manifest.hasImages !== (images !== undefined)) {
    throw new Error('dataset: manifest.hasImages disagrees with whether images were given');
  }
  await fs.mkdir(dir, { recursive: true });
  await writeNpy(path.join(dir, MASKS_FILE), masks, [n, h, w]);
  if (images !== undefined) await writeNpy(path.join(dir, IMAGES_FILE), images, [n, h, w]);
  await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 1) + '\n');
}

export async function readManifest(dir: string): Promise<DatasetManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(await fs.readFile(file, 'utf8')) as DatasetManifest;
  if (manifest.format !== 'cardigan-dataset/1') {
    throw new Error(`${file}: not a cardigan dataset manifest (format ${String(manifest.format)})`);
  }
  return manifest;
}

export async function readDataset(dir: string): Promise<Dataset> {
  const manifest = await readManifest(dir);
  const [h, w] = manifest.size;
  const n = manifest.items.length;
  const masks = await readNpy(path.join(dir, MASKS_FILE));
  if (masks.dtype !== 'uint8' || masks.data.length !== n * h * w) {
    throw new Error(`${path.join(dir, MASKS_FILE)}: expected uint8 [${n}, ${h}, ${w}], got ${masks.dtype} [${masks.shape.join(', ')}]`);
  }
  let images: Float32Array | undefined;
  if (manifest.hasImages) {
    const read = await readNpy(path.join(dir, IMAGES_FILE));
    if (read.dtype !== 'float32' || read.data.length !== n * h * w) {
      throw new Error(`${path.join(dir, IMAGES_FILE)}: expected float32 [${n}, ${h}, ${w}], got ${read.dtype} [${read.shape.join(', ')}]`);
    }
    images = read.data as Float32Array;
  }
  return { manifest, images, masks: masks.data as Uint8Array };
}

/** Views of item i's image and mask, without copying. */
export function itemPixels(dataset: Dataset, index: number): { image?: Float32Array; mask: Uint8Array } {
  const [h, w] = dataset.manifest.size;
  const start = index * h * w;
  return {
    image: dataset.images?.subarray(start, start + h * w),
    mask: dataset.masks.subarray(start, start + h * w),
  };
}

/** Some items of one dataset, by index, for `gatherItems`. */
export interface ItemSelection {
  dataset: Dataset;
  indices: readonly number[];
}

/**
 * One dataset of the selected items, in order, copying their pixels once (subsets, concatenations and
 * merges). `items` replaces the selected manifest entries (e.g. with renamed ids); by default they are kept.
 * Every part must have the first part's size and the same hasImages.
 */
export function gatherItems(parts: readonly ItemSelection[], items?: DatasetItem[]): Dataset {
  if (parts.length === 0) throw new Error('gatherItems: nothing to gather');
  const { size, hasImages } = parts[0].dataset.manifest;
  const plane = size[0] * size[1];
  const count = parts.reduce((n, part) => n + part.indices.length, 0);
  const images = hasImages ? new Float32Array(count * plane) : undefined;
  const masks = new Uint8Array(count * plane);
  const kept: DatasetItem[] = [];
  for (const { dataset, indices } of parts) {
    if (dataset.manifest.size.join('×') !== size.join('×') || dataset.manifest.hasImages !== hasImages) {
      throw new Error(
        `gatherItems: a ${dataset.manifest.size.join('×')} dataset${dataset.manifest.hasImages ? '' : ' without images'} cannot join a ${size.join('×')} one${hasImages ? '' : ' without images'}`,
      );
    }
    for (const index of indices) {
      const { image, mask } = itemPixels(dataset, index);
      if (image !== undefined) images?.set(image, kept.length * plane);
      masks.set(mask, kept.length * plane);
      kept.push(dataset.manifest.items[index]);
    }
  }
  if (items !== undefined && items.length !== count) throw new Error(`gatherItems: ${items.length} manifest entries for ${count} items`);
  return { manifest: { format: 'cardigan-dataset/1', size: [size[0], size[1]], hasImages, items: items ?? kept }, images, masks };
}

/** The dataset recording `lineage` (nodes/data/lineage.ts) in its manifest. */
export function withLineage(dataset: Dataset, lineage: SubjectLineage): Dataset {
  return { ...dataset, manifest: { ...dataset.manifest, lineage } };
}

/** Indices 0..n-1 of a dataset's items, to gather all of them. */
export function allItems(dataset: Dataset): number[] {
  return dataset.manifest.items.map((_, index) => index);
}
