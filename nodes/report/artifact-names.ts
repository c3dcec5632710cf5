import { TIMINGS_LOG, TRAINING_LOG } from '../nn/training/log-files';

/**
 * Every file name the report looks for in node outputs, in one place. The report finds artifacts by
 * name, not by node type, so any node (a plugin's too) that writes these files gets their section.
 * Names marked ASSUMED belong to nodes still being written; align them here if those nodes differ.
 */
export const ARTIFACT_NAMES = {
  /** Table 1 as CSV (evaluate node, branch `evaluate`): columns as in nodes/report/table1.ts. */
  table1Csv: 'table1.csv',
  /** The same table as Markdown: shown when the CSV is missing or unreadable. */
  table1Markdown: 'table1.md',
  /**
   * The evaluate node's aggregated JSON (format `cardigan-evaluation/1`). Read only for the models'
   * Table 1 names in the clinical section: every number the report shows comes from table1.csv and
   * clinical.csv.
   */
  evaluationSummary: 'summary.json',
  /** The evaluate node's clinical indices per patient (nodes/evaluate/clinical-table.ts). */
  clinicalCsv: 'clinical.csv',
  /** Training log of every trainer (nodes/nn/training/loop.ts): one JSON object per epoch. */
  trainingLog: TRAINING_LOG,
  /** Its wall-clock twin beside it, `{epoch, seconds, imagesPerSecond}` per line, under the port's volatile/ folder. */
  trainingTimings: TIMINGS_LOG,
  /** umap node, one folder per feature kind (nodes/umap/outputs.ts). */
  gapMetrics: 'gap-metrics.json',
  umapCoordinates: 'coordinates.csv',
  umapScatter: 'scatter',
  /** umap node, at the top of its output: which datasets were embedded. */
  embeddingManifest: 'embedding.json',
  /** filter-degenerate-masks (nodes/anatomy/filter-report.ts): format `cardigan-anatomy-filter/1`. */
  filterReport: 'report.json',
} as const;

/**
 * Folders of pictures that are data, not figures: the evaluate node's label maps (grey level = label,
 * one per test image, for `cardigan metrics`). ASSUMED (branch `evaluate`). Listed, never inlined.
 */
export const DATA_PICTURE_FOLDERS: readonly string[] = ['predictions', 'ground-truth'];

/** Pictures shown as they are (SPADE grids, load-camus previews, rejected masks, histograms...). */
export const IMAGE_EXTENSIONS: Record<string, string> = {
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
};

/** Any Markdown a node writes (filter and alignment reports) is rendered in its section. */
export const MARKDOWN_EXTENSION = '.md';
