import { didYouMean, UserError } from '../../engine';
import { paperRowFor, type PaperRow } from './paper-table';

/**
 * Which Table 1 row each evaluated model fills: a dataset (what it was trained on) and a model name.
 * `params.rows` says it per model id; otherwise it is read from the matrix id and the model's class:
 * `unet[train=camuspp]` holding a UNet becomes dataset `camuspp`, model `U-Net`, which the paper's
 * table knows as CAMUS++ / U-Net.
 */

export interface RowSpec {
  dataset: string;
  model: string;
}

/** The matrix key that repeats a model with several seeds: its members share one Table 1 row. */
const SEED_KEY = 'seed';

export interface ModelRow extends RowSpec {
  /** The model's node id, e.g. `unet[train=camuspp]`. */
  id: string;
  /** Class stored in model.json (`UNet`, `ENet`). */
  className: string;
  /** The model's `seed` matrix value, when it has one: models differing only by it share a row. */
  seed?: string;
  /** The paper's numbers for this dataset and model, when it has them. */
  paper?: PaperRow;
}

/** How the paper names each model class. */
const MODEL_NAMES: Readonly<Record<string, string>> = { UNet: 'U-Net', ENet: 'ENet' };

/** The matrix key whose value names the training data, when there is one. */
const DATASET_KEY = 'train';

/** `unet[train=camuspp,lr=0.01]` → base `unet`, cells [[train, camuspp], [lr, 0.01]]; a plain id has no cells. */
export function parseMatrixId(id: string): { base: string; cells: [string, string][] } {
  const match = /^([^[\]]+)\[([^[\]]*)\]$/.exec(id);
  if (match === null) return { base: id, cells: [] };
  const cells = match[2].split(',').map((cell): [string, string] => {
    const at = cell.indexOf('=');
    return at < 0 ? [cell, cell] : [cell.slice(0, at), cell.slice(at + 1)];
  });
  return { base: match[1], cells };
}

/** The `seed` matrix value of an id, if any. */
export function seedOf(id: string): string | undefined {
  return parseMatrixId(id).cells.find(([key]) => key === SEED_KEY)?.[1];
}

/**
 * The row read from the id: the dataset is the `train` value (else the first matrix value other than
 * the seed, else the id itself), under the paper's name when it is one of its datasets (`camuspp` →
 * CAMUS++); matrix values other than the dataset and the seed are appended to the model name.
 */
export function defaultRow(id: string, className: string): RowSpec {
  const { base, cells } = parseMatrixId(id);
  const named = cells.filter(([key]) => key !== SEED_KEY);
  const datasetCell = named.find(([key]) => key === DATASET_KEY) ?? named[0];
  const rest = named.filter((cell) => cell !== datasetCell).map(([key, value]) => `${key}=${value}`);
  const family = MODEL_NAMES[className] ?? className;
  const dataset = datasetCell === undefined ? base : datasetCell[1];
  return {
    dataset: paperRowFor(dataset, family)?.dataset ?? dataset,
    model: rest.length === 0 ? family : `${family} (${rest.join(', ')})`,
  };
}

/** Every model's row; a `rows` key naming no model, or two models on one row (other than seeds of one model), is an error. */
export function modelRows(models: readonly { id: string; className: string }[], rows: Readonly<Record<string, RowSpec>> = {}): ModelRow[] {
  const ids = models.map((m) => m.id);
  for (const key of Object.keys(rows)) {
    if (!ids.includes(key)) {
      throw new UserError(`params.rows: "${key}" is not one of the evaluated models${didYouMean(key, ids)} (models: ${ids.join(', ')})`);
    }
  }
  const result = models.map(({ id, className }): ModelRow => {
    const spec = rows[id] ?? defaultRow(id, className);
    const family = MODEL_NAMES[className] ?? className;
    // A default row with matrix extras (`U-Net (seed=2)`) still compares with the paper's U-Net.
    const paper = paperRowFor(spec.dataset, spec.model) ?? (rows[id] === undefined ? paperRowFor(spec.dataset, family) : undefined);
    const seed = seedOf(id);
    return { id, className, dataset: spec.dataset, model: spec.model, ...(seed === undefined ? {} : { seed }), ...(paper === undefined ? {} : { paper }) };
  });
  const seen = new Map<string, ModelRow>();
  for (const row of result) {
    const key = `${row.dataset}\u0000${row.model}`;
    const other = seen.get(key);
    // Seeds of one model share a row; anything else on one row is ambiguous.
    if (other !== undefined && (other.seed === undefined || row.seed === undefined || other.seed === row.seed)) {
      throw new UserError(`models ${other.id} and ${row.id} both fill the Table 1 row "${row.dataset} / ${row.model}"; name their rows in params.rows`);
    }
    seen.set(key, row);
  }
  return result;
}
