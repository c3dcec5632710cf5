import { promises as fs } from 'fs';
import * as path from 'path';
import { writeNpy } from '../data/npy';
import { embeddingChart, writeChart } from '../plot';
import { csvLine, float32Text } from '../data/csv';
import type { FeatureKind } from './features';
import type { GapMetrics } from './prdc';

/** One embedded item: the dataset label it came from and its id in that dataset. */
export interface EmbeddedItem {
  dataset: string;
  id: string;
}

/** What `gap-metrics.json` holds for one feature kind. */
export interface GapReport {
  features: FeatureKind;
  /** Feature dimensions the metrics and the embedding were computed on. */
  dimensions: number;
  downsample: number;
  reference: string;
  k: number;
  comparisons: (GapMetrics & { dataset: string })[];
  trustworthiness: { k: number; value: number };
}

export interface EmbeddingResult {
  kind: FeatureKind;
  items: readonly EmbeddedItem[];
  /** Row-major [items × nComponents]. */
  coordinates: Float32Array;
  nComponents: number;
  /** Dataset labels in legend order (reference first). */
  order: readonly string[];
  report: GapReport;
}

export const FILES = {
  coordinatesCsv: 'coordinates.csv',
  coordinatesNpy: 'coordinates.npy',
  labelsCsv: 'labels.csv',
  gapMetrics: 'gap-metrics.json',
  chart: 'scatter',
} as const;

const TITLES: Record<FeatureKind, string> = { masks: 'one-hot masks', images: 'images' };

function fixed(value: number): string {
  return value.toFixed(2);
}

/** Lines under the chart's title: the numbers that say what the picture shows. */
function subtitle(report: GapReport): string[] {
  return [
    ...report.comparisons.map(
      (c) =>
        `${c.dataset} vs ${report.reference}: precision ${fixed(c.precision)} · recall ${fixed(c.recall)} · density ${fixed(c.density)} · coverage ${fixed(c.coverage)}`,
    ),
    `trustworthiness ${fixed(report.trustworthiness.value)} (k = ${report.k})`,
  ];
}

/** Writes one embedding's files into `dir`: coordinates (CSV, .npy), labels, gap metrics, scatter. */
export async function writeEmbedding(dir: string, result: EmbeddingResult): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  const { items, coordinates, nComponents } = result;
  const axes = Array.from({ length: nComponents }, (_, c) => `umap${c + 1}`);
  let coordinatesCsv = csvLine(['dataset', 'id', ...axes]);
  let labelsCsv = csvLine(['dataset', 'id']);
  items.forEach((item, i) => {
    const values = Array.from(coordinates.subarray(i * nComponents, (i + 1) * nComponents), float32Text);
    coordinatesCsv += csvLine([item.dataset, item.id, ...values]);
    labelsCsv += csvLine([item.dataset, item.id]);
  });
  await fs.writeFile(path.join(dir, FILES.coordinatesCsv), coordinatesCsv);
  await fs.writeFile(path.join(dir, FILES.labelsCsv), labelsCsv);
  await writeNpy(path.join(dir, FILES.coordinatesNpy), coordinates, [items.length, nComponents]);
  await fs.writeFile(path.join(dir, FILES.gapMetrics), JSON.stringify(result.report, null, 1) + '\n');
  const spec = embeddingChart({
    coordinates,
    dims: nComponents,
    groups: items.map((item) => item.dataset),
    groupOrder: result.order,
    axisNames: axes.map((_, c) => `UMAP ${c + 1}`),
    title: `UMAP of ${TITLES[result.kind]} (${result.report.downsample}×${result.report.downsample}, ${items.length} items)`,
    subtitle: subtitle(result.report),
  });
  await writeChart(dir, FILES.chart, spec);
}
