import type { LogRecord } from '../plot';

/**
 * A trainer's `log.jsonl`, read tolerantly: one JSON object per line, nested groups flattened to
 * dotted names (`{"losses": {"g": 1}}` → `losses.g`, the shape of nodes/nn/training/loop.ts), flat
 * logs (`{"epoch": 1, "loss": 0.3, "val_dice": 0.8}`) read as they are. Lines that are not JSON
 * objects are counted, not fatal: a log cut short by a crash still shows what it has.
 */

export interface TrainingLog {
  records: LogRecord[];
  /** 1-based numbers of the lines that could not be read. */
  badLines: number[];
  /** Field for the x axis: `epoch`, else `step`, else `line` (added: the line's position). */
  x: string;
  /** Numeric fields by the chart they belong in. */
  groups: { losses: string[]; validation: string[]; learningRates: string[] };
}

const VALIDATION = /^(validation|val)([._]|$)/i;
const LEARNING_RATE = /^(lrs?|learning_?rates?)([._]|$)/i;
const LOSS = /loss/i;

function flatten(value: Record<string, unknown>, prefix: string, out: Record<string, unknown>): void {
  for (const [key, inner] of Object.entries(value)) {
    const name = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner)) flatten(inner as Record<string, unknown>, name, out);
    else out[name] = inner;
  }
}

export function parseTrainingLog(text: string): TrainingLog {
  const records: Record<string, unknown>[] = [];
  const badLines: number[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const value: unknown = JSON.parse(line);
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object');
      const flat: Record<string, unknown> = {};
      flatten(value as Record<string, unknown>, '', flat);
      records.push(flat);
    } catch {
      badLines.push(i + 1);
    }
  });
  const fields = new Set<string>();
  for (const record of records) for (const [key, value] of Object.entries(record)) if (typeof value === 'number') fields.add(key);
  let x = 'line';
  if (fields.has('epoch')) x = 'epoch';
  else if (fields.has('step')) x = 'step';
  else records.forEach((record, i) => (record.line = i + 1));
  const groups: TrainingLog['groups'] = { losses: [], validation: [], learningRates: [] };
  for (const field of fields) {
    if (field === x) continue;
    if (VALIDATION.test(field)) groups.validation.push(field);
    else if (LEARNING_RATE.test(field)) groups.learningRates.push(field);
    else if (LOSS.test(field)) groups.losses.push(field);
  }
  return { records, badLines, x, groups };
}

/** The name to show for a field: its group prefix dropped (`losses.g_hinge` → `g_hinge`). */
export function shortFieldName(field: string): string {
  const parts = field.split('.');
  return parts.length > 1 ? parts.slice(1).join('.') : field;
}

/** The last record that has a number for `field`. */
export function lastValue(log: TrainingLog, field: string): { x: unknown; value: number } | undefined {
  for (let i = log.records.length - 1; i >= 0; i--) {
    const value = log.records[i][field];
    if (typeof value === 'number' && Number.isFinite(value)) return { x: log.records[i][log.x], value };
  }
  return undefined;
}
