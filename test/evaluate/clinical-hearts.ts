import type { Dataset, DatasetItem, Phase, View } from '../../nodes/data/dataset-artifact';
import { Label } from '../../nodes/data/label-mask';
import { halfEllipseHeart, halfEllipsoidVolume } from '../rig/half-ellipse-heart';

/**
 * A test set for the clinical indices: patients of half-ellipse hearts (closed-form volumes) at
 * 64×64 with 1.5 mm pixels, whose images hold mask/3 so that the intensity U-Net predicts each mask
 * exactly (intensity-unet.ts), except where a patient's image is made to differ:
 * - patient0001, 0002, 0006: complete; the model's indices equal the ground truth's;
 * - patient0003: no 4CH ES image (listed as missing a view);
 * - patient0004: its 4CH ES ground truth has no LV (left out on the ground truth);
 * - patient0005: the model's 2CH ED prediction lacks the LA (left out for the model: no mitral base).
 */

export const CLINICAL_SIZE = 64;
export const CLINICAL_SPACING: [number, number] = [1.5, 1.5];

interface Shape {
  length: number;
  /** 2CH and 4CH half-widths. */
  widths: [number, number];
}

const PATIENTS: { ed: Shape; es: Shape }[] = [
  { ed: { length: 50, widths: [18, 20] }, es: { length: 42, widths: [13, 15] } },
  { ed: { length: 54, widths: [20, 21] }, es: { length: 48, widths: [17, 18] } },
  { ed: { length: 46, widths: [16, 18] }, es: { length: 40, widths: [12, 12] } },
  { ed: { length: 50, widths: [18, 18] }, es: { length: 45, widths: [14, 14] } },
  { ed: { length: 52, widths: [19, 20] }, es: { length: 44, widths: [14, 16] } },
  { ed: { length: 48, widths: [17, 19] }, es: { length: 40, widths: [11, 13] } },
];

/** The closed-form EDV and ESV (mL) of patient k (0-based). */
export function knownVolumes(k: number): { edv: number; esv: number } {
  const { ed, es } = PATIENTS[k];
  return { edv: halfEllipsoidVolume(ed.length, ...ed.widths), esv: halfEllipsoidVolume(es.length, ...es.widths) };
}

export function clinicalHearts(): Dataset & { images: Float32Array } {
  const items: DatasetItem[] = [];
  const masks: Uint8Array[] = [];
  const images: Float32Array[] = [];
  PATIENTS.forEach((shapes, k) => {
    const patient = `patient000${k + 1}`;
    for (const phase of ['ED', 'ES'] as Phase[]) {
      for (const [v, view] of (['2CH', '4CH'] as View[]).entries()) {
        if (k === 2 && view === '4CH' && phase === 'ES') continue;
        const shape = phase === 'ED' ? shapes.ed : shapes.es;
        let mask = halfEllipseHeart({
          rows: CLINICAL_SIZE,
          cols: CLINICAL_SIZE,
          spacing: CLINICAL_SPACING,
          length: shape.length,
          halfWidth: shape.widths[v],
          tilt: 0.1,
        });
        if (k === 3 && view === '4CH' && phase === 'ES') mask = mask.map((l) => (l === Label.lv ? Label.myocardium : l));
        const shown = k === 4 && view === '2CH' && phase === 'ED' ? mask.map((l) => (l === Label.la ? Label.background : l)) : mask;
        items.push({
          id: `${patient}_${view}_${phase}`,
          patient,
          view,
          phase,
          source: 'real',
          nativeSize: [CLINICAL_SIZE, CLINICAL_SIZE],
          spacing: CLINICAL_SPACING,
          nativeSpacing: CLINICAL_SPACING,
          split: 'test',
        });
        masks.push(mask);
        images.push(Float32Array.from(shown, (l) => l / 3));
      }
    }
  });
  const pixels = CLINICAL_SIZE * CLINICAL_SIZE;
  const maskData = new Uint8Array(items.length * pixels);
  const imageData = new Float32Array(items.length * pixels);
  masks.forEach((m, i) => maskData.set(m, i * pixels));
  images.forEach((m, i) => imageData.set(m, i * pixels));
  return { manifest: { format: 'cardigan-dataset/1', size: [CLINICAL_SIZE, CLINICAL_SIZE], hasImages: true, items }, images: imageData, masks: maskData };
}
