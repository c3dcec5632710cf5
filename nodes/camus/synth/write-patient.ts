import { promises as fs } from 'fs';
import * as path from 'path';
import { constants as zlibConstants } from 'zlib';
import type { ImageArray } from '../../data/image';
import { Random } from '../../data/random';
import { formatCfg } from '../cfg';
import { writeImage } from '../../data/image-file';
import { infoFile, type ReleaseLayout } from '../release';
import { ViewSimulator, type RenderedFrame } from './frame';
import { framePhase, type SyntheticPatient, VIEWS } from './patient';
import { COL_SPACING_MM, ROW_SPACING_MM } from './sector';

/**
 * Writes one synthetic patient folder in a release's layout: ED/ES images and `_gt` masks per view,
 * the Info cfg files, and optionally the ED→ES sequences (whose first and last frames are the ED and ES
 * images, bit for bit).
 */

export interface PatientWriteOptions {
  /** Also write `_sequence` (original) or `_half_sequence(_gt)` (2023) files. */
  sequences: boolean;
  /** gzip level of .nii.gz files. */
  level: number;
}

function image(data: Uint8Array, rows: number, cols: number, frames?: number): ImageArray {
  return { dtype: 'uint8', shape: frames === undefined ? [rows, cols] : [frames, rows, cols], data, spacing: [ROW_SPACING_MM, COL_SPACING_MM] };
}

function stack(frames: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let offset = 0;
  for (const frame of frames) {
    out.set(frame, offset);
    offset += frame.length;
  }
  return out;
}

function infoLines(patient: SyntheticPatient, layout: ReleaseLayout, quality: string, edVolumeMl: number): Array<[string, string | number]> {
  const ef = patient.ejectionFraction;
  const common: Array<[string, string | number]> = [
    ['ED', 1],
    ['ES', patient.nbFrame],
    ['NbFrame', patient.nbFrame],
    ['Sex', patient.sex],
    ['Age', patient.age],
    ['ImageQuality', quality],
  ];
  if (layout.release === '2023') return [...common, ['EF', Math.round(100 * ef)], ['FrameRate', patient.frameRate]];
  return [...common, ['LVedv', edVolumeMl.toFixed(1)], ['LVesv', (edVolumeMl * (1 - ef)).toFixed(1)], ['LVef', (100 * ef).toFixed(1)]];
}

/**
 * Renders are synchronous; the writes (and their gzip, on libuv's thread pool) are started without
 * waiting, so the next view renders while the previous one is compressed and written.
 */
export async function writePatient(patientDir: string, layout: ReleaseLayout, patient: SyntheticPatient, options: PatientWriteOptions): Promise<void> {
  await fs.mkdir(patientDir, { recursive: true });
  // Run-length matching: as small as level 1's default on these images (black outside the fan) and faster.
  const level = { level: options.level, strategy: zlibConstants.Z_RLE };
  const writes: Array<Promise<void>> = [];
  for (const view of VIEWS) {
    const spec = patient.views[view];
    const { rows, cols } = spec.sector;
    const simulator = new ViewSimulator(spec.sector, spec.anatomy, spec.look, new Random(spec.seed));
    let ed: RenderedFrame;
    let es: RenderedFrame;
    if (options.sequences) {
      const frames = Array.from({ length: patient.nbFrame }, (_, k) => simulator.frame(framePhase(k, patient.nbFrame)));
      ed = frames[0];
      es = frames[frames.length - 1];
      writes.push(
        writeImage(
          path.join(patientDir, layout.sequenceFile(patient.id, view, false)),
          image(stack(frames.map((f) => f.image)), rows, cols, frames.length),
          level,
        ),
      );
      if (layout.release === '2023') {
        writes.push(
          writeImage(
            path.join(patientDir, layout.sequenceFile(patient.id, view, true)),
            image(stack(frames.map((f) => f.mask)), rows, cols, frames.length),
            level,
          ),
        );
      }
    } else {
      ed = simulator.frame(0);
      es = simulator.frame(1);
    }
    for (const [phase, frame] of [
      ['ED', ed],
      ['ES', es],
    ] as const) {
      writes.push(writeImage(path.join(patientDir, layout.imageFile(patient.id, view, phase, false)), image(frame.image, rows, cols), level));
      writes.push(writeImage(path.join(patientDir, layout.imageFile(patient.id, view, phase, true)), image(frame.mask, rows, cols), level));
    }
    // Ellipsoid volume (pi/6 · length · width²) of the ED cavity, in mL, for the original release's LVedv.
    const shape = spec.anatomy.ed;
    const width = shape.halfWidth[0] + shape.halfWidth[1];
    const edVolumeMl = ((Math.PI / 6) * shape.length * width * width) / 1000;
    writes.push(fs.writeFile(path.join(patientDir, infoFile(view)), formatCfg(infoLines(patient, layout, spec.quality, edVolumeMl))));
  }
  await Promise.all(writes);
}
