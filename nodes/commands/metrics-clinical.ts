import { UsageError, UserError } from '../../engine';
import { patientIndices, VIEW_PHASES, viewPhaseText, type ClinicalIndices, type ViewPhase } from '../clinical/patient-indices';
import { DISCS, viewDiscs, type ViewDiscsResult } from '../clinical/simpson';
import type { SpacedMask } from '../masks/mask-files';

/**
 * `cardigan metrics --2ch-ed A --2ch-es B --4ch-ed C --4ch-es D`: one patient's EDV, ESV and EF by
 * Simpson's biplane from its four mask files, with the code the evaluate node uses, so that any line
 * of clinical.csv can be recomputed from the ground-truth/ and predictions/ files it names (their
 * spacing is in per-image.csv).
 */

export interface ClinicalFiles {
  file: string;
  mask: SpacedMask;
}

export interface ClinicalReport extends ClinicalIndices {
  discs: number;
  views: Record<ViewPhase, { file: string; spacing: [number, number]; length: number; diameters: number[] }>;
}

/** `--spacing` for all four, or per view; a file's own header otherwise. */
export interface ClinicalSpacing {
  all?: [number, number];
  '2CH'?: [number, number];
  '4CH'?: [number, number];
}

function spacingOf(key: ViewPhase, { file, mask }: ClinicalFiles, spacing: ClinicalSpacing): [number, number] {
  const view = key.startsWith('2CH') ? '2CH' : '4CH';
  const chosen = spacing[view] ?? spacing.all ?? mask.spacing;
  if (chosen === undefined) {
    throw new UsageError(
      `metrics: ${file} (${viewPhaseText(key)}) does not record its pixel spacing; give it with --spacing r,c in mm, or per view with --spacing-${view.toLowerCase()} r,c`,
    );
  }
  return chosen;
}

export function computeClinicalReport(files: Record<ViewPhase, ClinicalFiles>, spacing: ClinicalSpacing): ClinicalReport {
  const discs = {} as Record<ViewPhase, ViewDiscsResult>;
  const spacings = {} as Record<ViewPhase, [number, number]>;
  for (const key of VIEW_PHASES) {
    const { mask } = files[key];
    spacings[key] = spacingOf(key, files[key], spacing);
    discs[key] = viewDiscs(mask.data, mask.height, mask.width, spacings[key]);
  }
  const result = patientIndices(discs);
  if (!result.ok) throw new UserError(`metrics: no clinical indices for these masks: ${result.reasons.join('; ')}`);
  const views = {} as ClinicalReport['views'];
  for (const key of VIEW_PHASES) {
    const d = discs[key];
    if (!d.ok) throw new Error('unreachable: patientIndices accepted a failed view');
    views[key] = { file: files[key].file, spacing: spacings[key], length: d.discs.length, diameters: d.discs.diameters };
  }
  return { ...result.indices, discs: DISCS, views };
}

export function formatClinical(report: ClinicalReport): string {
  const lines = ['view   long axis (mm)  spacing (mm)      file'];
  for (const key of VIEW_PHASES) {
    const v = report.views[key];
    lines.push(`${viewPhaseText(key)}  ${v.length.toFixed(2).padStart(14)}  ${`[${v.spacing.join(', ')}]`.padEnd(16)}  ${v.file}`);
  }
  lines.push(`EDV ${report.edv.toFixed(2)} mL`, `ESV ${report.esv.toFixed(2)} mL`, `EF  ${report.ef.toFixed(2)} %`);
  lines.push(`Simpson's biplane, ${report.discs} discs (L = the longer long axis of 2CH and 4CH)`);
  return lines.join('\n') + '\n';
}
