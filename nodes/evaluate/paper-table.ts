import paper from './paper-table1.json';

/**
 * The paper's Table 1, kept as data (paper-table1.json) so that the numbers live in one place and
 * the table renderer can put them beside ours.
 */

export type TableMetric = 'dice' | 'hd' | 'assd';
export type TableStructure = 'endo' | 'epi';

/** The paper reports Dice, HD and ASSD for endo and epi only (no LA). */
export const TABLE_METRICS: readonly TableMetric[] = ['dice', 'hd', 'assd'];
export const TABLE_STRUCTURES: readonly TableStructure[] = ['endo', 'epi'];

export type PaperValues = Record<TableMetric, Record<TableStructure, number>>;

export interface PaperRow extends PaperValues {
  /** As printed: `CAMUS`, `CAMUS++`, `CAMUSx`, or a comparison such as `Wei et al. [6]`. */
  dataset: string;
  /** Lower-case spellings a matrix label may use for the dataset (`camuspp` for CAMUS++). */
  aliases: string[];
  /** `U-Net`, `ENet`, or empty for a comparison row. */
  model: string;
  /** A published result the paper compares with, not one of its own models: always shown. */
  reference?: boolean;
}

export const PAPER_SOURCE: string = paper.source;
export const PAPER_ROWS: readonly PaperRow[] = paper.rows;

/** The paper's numbers for a dataset (its name or an alias, any case) and a model name, if it has them. */
export function paperRowFor(dataset: string, model: string): PaperRow | undefined {
  const wanted = dataset.toLowerCase();
  return PAPER_ROWS.find((row) => !row.reference && row.model === model && (row.dataset.toLowerCase() === wanted || row.aliases.includes(wanted)));
}

/** Position of a row in the paper's table (for ordering ours alike); rows it lacks come after. */
export function paperOrder(row: PaperRow | undefined): number {
  return row === undefined ? PAPER_ROWS.length : PAPER_ROWS.indexOf(row);
}
