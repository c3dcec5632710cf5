import * as path from 'path';
import { formatBytes, type ArtifactFile, type ArtifactFolder } from './artifact-folder';
import { promises as fs } from 'fs';
import { DATA_PICTURE_FOLDERS } from './artifact-names';
import { bytesDataUri, imageType } from './data-uri';
import { html, type Html } from './html';

/**
 * The pictures no other section showed (SPADE's mask | real | generated grids, load-camus previews,
 * rejected masks, histograms), inlined. A folder of many pictures (samples per epoch, one label map
 * per test image) shows its first and last few; a page-wide byte budget keeps the report openable.
 * What is left out is named, so the reader knows where to look.
 */

export const GALLERY_LIMITS = {
  /** Pictures shown per folder: the first, and the last ones (latest epochs). */
  perFolder: 4,
  /** Bytes of pictures inlined per node section... */
  bytesPerNode: 8_000_000,
  /** ...and in the whole page (base64 adds a third), so that a big experiment's report still opens. */
  bytesPerPage: 48_000_000,
};

/** Pictures narrower than this many pixels are shown at twice their size. */
const SMALL_PICTURE = 200;

/** Width and height from a PNG's header (IHDR), or undefined for anything else. */
export function pngSize(bytes: Buffer): { width: number; height: number } | undefined {
  const signature = '89504e470d0a1a0a';
  if (bytes.length < 24 || bytes.subarray(0, 8).toString('hex') !== signature || bytes.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

export interface Budget {
  bytes: number;
}

function pick(files: readonly ArtifactFile[], limit: number): ArtifactFile[] {
  return files.length <= limit ? [...files] : [files[0], ...files.slice(files.length - (limit - 1))];
}

export async function galleryHtml(folder: ArtifactFolder, figureId: (rel: string) => string, budget: Budget): Promise<Html> {
  const all = folder.unclaimed().filter((file) => imageType(file.rel) !== undefined);
  const isData = (file: ArtifactFile): boolean => DATA_PICTURE_FOLDERS.includes(file.rel.split('/')[0]) && file.rel.includes('/');
  const pictures = all.filter((file) => !isData(file));
  const dataFolders = [...new Set(all.filter(isData).map((file) => file.rel.split('/')[0]))];
  // A chart written as both SVG and PNG is shown once, as the sharper SVG.
  const names = new Set(pictures.map((file) => file.rel));
  const shown = pictures.filter((file) => !(file.rel.endsWith('.png') && names.has(file.rel.replace(/\.png$/, '.svg'))));
  for (const file of pictures) if (!shown.includes(file)) folder.claim(file);
  const byFolder = new Map<string, ArtifactFile[]>();
  for (const file of shown) {
    const dir = path.posix.dirname(file.rel);
    byFolder.set(dir, [...(byFolder.get(dir) ?? []), file]);
  }
  const figures: Html[] = [];
  const notes: Html[] = [];
  for (const [dir, files] of byFolder) {
    const chosen = pick(files, GALLERY_LIMITS.perFolder);
    if (chosen.length < files.length) {
      notes.push(
        html`<p class="note">${chosen.length} of the ${files.length} pictures in <code>${dir}/</code> are shown (the first and the last); the others are in the cache (see the file list).</p>`,
      );
    }
    for (const file of chosen) {
      if (file.size > budget.bytes) {
        notes.push(html`<p class="note"><code>${file.rel}</code> (${formatBytes(file.size)}) is not inlined, to keep the page small; it is in the cache.</p>`);
        continue;
      }
      budget.bytes -= file.size;
      folder.claim(file);
      const bytes = await fs.readFile(file.abs);
      const size = pngSize(bytes);
      // Small pictures (48-pixel masks, thumbnails) are drawn at twice their size, pixels kept sharp.
      const width = size !== undefined && size.width < SMALL_PICTURE ? html` width="${2 * size.width}" height="${2 * size.height}"` : '';
      figures.push(
        html`<figure id="${figureId(file.rel)}" class="picture"><img alt="${file.rel}" src="${bytesDataUri(bytes, imageType(file.rel) as string)}"${width}><figcaption><code>${file.rel}</code></figcaption></figure>`,
      );
    }
  }
  for (const dir of dataFolders) {
    const count = all.filter((file) => file.rel.startsWith(`${dir}/`)).length;
    notes.push(
      html`<p class="note">${count} label map(s) in <code>${dir}/</code> are data (for <code>cardigan metrics</code>), not figures: see the file list.</p>`,
    );
  }
  if (figures.length === 0 && notes.length === 0) return html``;
  return html`<div class="figures">${figures}</div>${notes}`;
}
