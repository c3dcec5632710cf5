import type { NodeSource } from '../../engine/cli/reporting';
import type { Html } from './html';
import type { ClinicalTable } from './clinical-read';
import type { Table1 } from './table1-read';
import type { GapReport } from './umap-section';

/**
 * What the node sections found that the top of the page summarises: Table 1 (from whichever node
 * wrote table1.csv), the clinical indices (clinical.csv), the gap metrics of each UMAP, the filter's acceptance.
 */
export interface Findings {
  tables: { source: NodeSource; file: string; table: Table1 }[];
  /** table1.md of a node whose table1.csv is missing or unreadable. */
  tableFallbacks: { source: NodeSource; file: string; body: Html; problems: string[] }[];
  /** clinical.csv of an evaluate node, with each model id's Table 1 name (from summary.json, when there). */
  clinical: { source: NodeSource; file: string; table: ClinicalTable; labels: Record<string, string> }[];
  gaps: { source: NodeSource; report: GapReport }[];
  filters: { source: NodeSource; kept: number; total: number }[];
}

export function emptyFindings(): Findings {
  return { tables: [], tableFallbacks: [], clinical: [], gaps: [], filters: [] };
}
