import { promises as fs } from 'fs';
import { UserError } from '../../engine';

/**
 * CAMUS `Info_{2CH,4CH}.cfg` files: one `Key: value` per line, e.g.
 *
 *     ED: 1
 *     ES: 13
 *     NbFrame: 13
 *     Sex: F
 *     Age: 62
 *     ImageQuality: Medium
 *     EF: 46            (2023 release; the original release has LVedv, LVesv, LVef)
 *     FrameRate: 33
 *
 * Every key is kept as text; the known numeric ones are also parsed, and a malformed line or a
 * non-numeric value is reported with file:line.
 */

export type ImageQuality = 'Good' | 'Medium' | 'Poor';
export const IMAGE_QUALITIES: readonly ImageQuality[] = ['Good', 'Medium', 'Poor'];

const NUMERIC_KEYS = ['ED', 'ES', 'NbFrame', 'Age', 'EF', 'LVef', 'LVedv', 'LVesv', 'FrameRate'] as const;
const INTEGER_KEYS = new Set(['ED', 'ES', 'NbFrame']);

export interface CamusInfo {
  /** Every key as written, value as text, in file order. */
  values: Map<string, string>;
  /** 1-based frame indices in the sequence. */
  ed?: number;
  es?: number;
  nbFrame?: number;
  sex?: string;
  age?: number;
  quality?: ImageQuality;
  /** Ejection fraction in %, from `EF` (2023 release) or `LVef` (original release). */
  ef?: number;
  frameRate?: number;
}

export function parseCfg(text: string, file: string): CamusInfo {
  const values = new Map<string, string>();
  const lineOf = new Map<string, number>();
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new UserError(`${file}:${index + 1}: malformed line "${line.trim()}" — expected "Key: value"`);
    const key = line.slice(0, colon).trim();
    values.set(key, line.slice(colon + 1).trim());
    lineOf.set(key, index + 1);
  });
  const numeric = new Map<string, number>();
  for (const key of NUMERIC_KEYS) {
    const raw = values.get(key);
    if (raw === undefined) continue;
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value) || (INTEGER_KEYS.has(key) && !Number.isInteger(value))) {
      throw new UserError(`${file}:${lineOf.get(key)}: ${key} should be ${INTEGER_KEYS.has(key) ? 'an integer' : 'a number'}, got "${raw}"`);
    }
    numeric.set(key, value);
  }
  const qualityText = values.get('ImageQuality');
  let quality: ImageQuality | undefined;
  if (qualityText !== undefined) {
    quality = IMAGE_QUALITIES.find((q) => q.toLowerCase() === qualityText.toLowerCase());
    if (quality === undefined) {
      throw new UserError(`${file}:${lineOf.get('ImageQuality')}: ImageQuality should be Good, Medium or Poor, got "${qualityText}"`);
    }
  }
  return {
    values,
    ed: numeric.get('ED'),
    es: numeric.get('ES'),
    nbFrame: numeric.get('NbFrame'),
    sex: values.get('Sex'),
    age: numeric.get('Age'),
    quality,
    ef: numeric.get('EF') ?? numeric.get('LVef'),
    frameRate: numeric.get('FrameRate'),
  };
}

export async function readCfg(file: string): Promise<CamusInfo> {
  return parseCfg(await fs.readFile(file, 'utf8'), file);
}

/** `Key: value` lines in the given order. */
export function formatCfg(entries: ReadonlyArray<readonly [string, string | number]>): string {
  return entries.map(([key, value]) => `${key}: ${value}`).join('\n') + '\n';
}
