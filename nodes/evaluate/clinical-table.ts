import { csvLine } from '../data/csv';
import { INDEX_NAMES, VIEW_PHASES } from '../clinical/patient-indices';
import type { ClinicalLine, ClinicalSummary, IndexName } from './clinical';

/**
 * clinical.csv (one line per patient for the ground truth, then per model, each model line with the
 * ground truth's numbers beside it) and the clinical table of table1.md, rendered from summary.json's
 * `clinical` alone: per model and index, Pearson's r, bias, SD of the differences, limits of agreement
 * and MAE, as the CAMUS benchmark reports them.
 */

export const GROUND_TRUTH_MODEL = 'ground-truth';

export const INDEX_TITLES: Record<IndexName, { title: string; unit: string }> = {
  edv: { title: 'EDV', unit: 'mL' },
  esv: { title: 'ESV', unit: 'mL' },
  ef: { title: 'EF', unit: '%' },
};

export const CLINICAL_HEADER = [
  'model',
  'patient',
  'edv_ml',
  'esv_ml',
  'ef_percent',
  'reference_edv_ml',
  'reference_esv_ml',
  'reference_ef_percent',
  ...VIEW_PHASES.map((key) => `length_${key}_mm`),
  'excluded',
];

export function clinicalCsv(lines: readonly ClinicalLine[]): string {
  const reference = new Map(lines.filter((l) => l.model === null).map((l) => [l.patient, l.result]));
  const out = lines.map((line) => {
    const ref = line.model === null ? undefined : reference.get(line.patient);
    const values = line.result.ok ? INDEX_NAMES.map((name) => (line.result.ok ? line.result.indices[name] : '')) : INDEX_NAMES.map(() => '');
    const refValues = ref?.ok ? INDEX_NAMES.map((name) => ref.indices[name]) : INDEX_NAMES.map(() => '');
    const lengths = line.result.ok ? VIEW_PHASES.map((key) => (line.result.ok ? line.result.lengths[key] : '')) : VIEW_PHASES.map(() => '');
    return csvLine([line.model ?? GROUND_TRUTH_MODEL, line.patient, ...values, ...refValues, ...lengths, line.result.ok ? '' : line.result.reasons.join('; ')]);
  });
  return csvLine(CLINICAL_HEADER) + out.join('');
}

function fixed(value: number | null, digits: number): string {
  return value === null ? '–' : value.toFixed(digits);
}

export function clinicalMarkdown(summary: ClinicalSummary): string {
  const rows = ['| Dataset | Model | Index | Patients | r | Bias | SD | Limits of agreement | MAE |', '|---|---|---|---:|---:|---:|---:|---:|---:|'];
  for (const m of summary.models) {
    INDEX_NAMES.forEach((name, k) => {
      const a = m.agreement[name];
      const { title, unit } = INDEX_TITLES[name];
      const loa = a.loa === null ? '–' : `${a.loa[0].toFixed(1)} to ${a.loa[1].toFixed(1)}`;
      rows.push(
        `| ${k === 0 ? m.dataset : ''} | ${k === 0 ? m.model : ''} | ${title} (${unit}) | ${a.n} | ${fixed(a.r, 3)} | ${fixed(a.bias, 1)} | ${fixed(a.sd, 1)} | ${loa} | ${fixed(a.mae, 1)} |`,
      );
    });
  }
  const ranges = INDEX_NAMES.flatMap((name) => {
    const r = summary.reference.range[name];
    const { title, unit } = INDEX_TITLES[name];
    return r === null ? [] : [`${title} ${r.min.toFixed(1)}–${r.max.toFixed(1)} ${unit} (mean ${r.mean.toFixed(1)})`];
  });
  const notes = [
    `${summary.method}, ${summary.discs} discs, from the 2CH and 4CH masks at ED and ES of each patient, on the grid the metrics use; each model against the indices of the ground-truth masks (bias = model − ground truth; SD of the differences with n − 1; limits of agreement = bias ± 1.96 SD; MAE = mean absolute difference).`,
    `Ground truth: ${summary.reference.patients} of ${summary.patients} test patients measured${ranges.length > 0 ? `; ${ranges.join(', ')}` : ''}.`,
    ...summary.reference.excluded.map((e) => `Left out (ground truth): ${e.patient}: ${e.reason}.`),
    ...summary.models.flatMap((m) => m.excluded.map((e) => `Left out for ${m.id}: ${e.patient}: ${e.reason}.`)),
  ];
  return ['## Clinical indices: EDV, ESV and EF against the ground truth', '', ...rows, '', ...notes.map((n) => `- ${n}`), ''].join('\n');
}
