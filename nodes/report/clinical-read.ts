import { parse } from 'csv-parse/sync';
import { agreement, type Agreement } from '../clinical/agreement';
import { INDEX_NAMES, type ClinicalIndices } from '../clinical/patient-indices';

/**
 * Reading the evaluate node's clinical.csv for the report: per model, each patient's indices beside
 * the ground truth's, the agreement computed from them (the same function the node uses, so the
 * numbers equal summary.json's), and the patients left out with why. Columns are found by name; a
 * file that cannot be read becomes a problem line, not a broken page.
 */

export type IndexName = keyof ClinicalIndices;

export interface ClinicalPair {
  patient: string;
  reference: number;
  predicted: number;
}

export interface ClinicalModelRows {
  id: string;
  pairs: Record<IndexName, ClinicalPair[]>;
  agreement: Record<IndexName, Agreement>;
  excluded: { patient: string; reason: string }[];
}

export interface ClinicalTable {
  models: ClinicalModelRows[];
  /** Ground truth: patients measured and left out. */
  reference: { measured: number; excluded: { patient: string; reason: string }[] };
  problems: string[];
}

const COLUMNS: Record<IndexName, { value: string; reference: string }> = {
  edv: { value: 'edv_ml', reference: 'reference_edv_ml' },
  esv: { value: 'esv_ml', reference: 'reference_esv_ml' },
  ef: { value: 'ef_percent', reference: 'reference_ef_percent' },
};

const GROUND_TRUTH = 'ground-truth';

export function readClinicalCsv(text: string, file = 'clinical.csv'): ClinicalTable {
  let records: Record<string, string>[];
  try {
    records = parse(text, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  } catch (error) {
    return { models: [], reference: { measured: 0, excluded: [] }, problems: [`${file}: not readable as CSV (${(error as Error).message})`] };
  }
  const problems: string[] = [];
  const number = (record: Record<string, string>, column: string, line: number): number | null => {
    const text = record[column] ?? '';
    if (text === '') return null;
    const value = Number(text);
    if (!Number.isFinite(value)) {
      problems.push(`${file} line ${line}: ${column} is "${text}", not a number`);
      return null;
    }
    return value;
  };
  const models = new Map<string, { pairs: Record<IndexName, ClinicalPair[]>; excluded: { patient: string; reason: string }[] }>();
  const reference = { measured: 0, excluded: [] as { patient: string; reason: string }[] };
  records.forEach((record, r) => {
    const model = record.model ?? '';
    const patient = record.patient ?? '';
    const excluded = record.excluded ?? '';
    if (model === GROUND_TRUTH) {
      if (excluded === '') reference.measured++;
      else reference.excluded.push({ patient, reason: excluded });
      return;
    }
    const entry = models.get(model) ?? { pairs: { edv: [], esv: [], ef: [] }, excluded: [] };
    models.set(model, entry);
    const values = INDEX_NAMES.map((name) => [number(record, COLUMNS[name].value, r + 2), number(record, COLUMNS[name].reference, r + 2)] as const);
    // A patient the ground truth cannot be measured on is the ground truth's exclusion, listed once.
    if (values.every(([, ref]) => ref === null)) return;
    if (excluded !== '') {
      entry.excluded.push({ patient, reason: excluded });
      return;
    }
    INDEX_NAMES.forEach((name, k) => {
      const [predicted, ref] = values[k];
      if (predicted !== null && ref !== null) entry.pairs[name].push({ patient, reference: ref, predicted });
    });
  });
  if (records.length > 0 && !('model' in records[0] && 'edv_ml' in records[0]))
    problems.push(`${file}: expected the columns model, patient, edv_ml, esv_ml, ef_percent, reference_*`);
  return {
    models: [...models].map(([id, { pairs, excluded }]) => ({
      id,
      pairs,
      excluded,
      agreement: Object.fromEntries(
        INDEX_NAMES.map((name) => [
          name,
          agreement(
            pairs[name].map((p) => p.reference),
            pairs[name].map((p) => p.predicted),
          ),
        ]),
      ) as Record<IndexName, Agreement>,
    })),
    reference,
    problems,
  };
}
