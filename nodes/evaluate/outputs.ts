import { promises as fs } from 'fs';
import * as path from 'path';
import type { ClinicalLine } from './clinical';
import { clinicalCsv, clinicalMarkdown } from './clinical-table';
import type { ImageScore } from './image-score';
import { pairedTestsCsv, pairedTestsMarkdown } from './paired-tests';
import { perImageCsv } from './per-image-csv';
import { montagePng, type MontageRow } from '../data/montage';
import type { EvaluationSummary } from './summary';
import { table1Csv, table1Markdown } from './table1';
import { storedSpacing, type TestSet } from './test-set';

export const FILES = {
  perImage: 'per-image.csv',
  clinical: 'clinical.csv',
  summary: 'summary.json',
  tableMarkdown: 'table1.md',
  tableCsv: 'table1.csv',
  examples: 'examples.png',
  pairedMarkdown: 'paired-tests.md',
  pairedCsv: 'paired-tests.csv',
} as const;

export interface EvaluationOutputs {
  summary: EvaluationSummary;
  scores: readonly ImageScore[];
  test: TestSet;
  exampleIndices: readonly number[];
  /** Per model (summary order), the model-size predictions of the example items. */
  examples: readonly (readonly Uint8Array[])[];
  /** clinical.csv's lines, when the clinical indices were computed. */
  clinical?: readonly ClinicalLine[];
}

/** examples.png: one line per example item: image | ground truth | each model's prediction (model size). */
function examplesPng({ summary, test, exampleIndices, examples }: EvaluationOutputs): Buffer {
  const [h, w] = test.size;
  const rows = exampleIndices.map((index, k): MontageRow => {
    const item = test.dataset.manifest.items[index];
    // Without spacing the pixel shape is unknown: square pixels, rather than a NaN aspect.
    const spacing = storedSpacing(item);
    const tile = { rows: h, cols: w, pixelAspect: spacing === null ? 1 : spacing[0] / spacing[1] };
    return {
      label: item.id,
      tiles: [
        { ...tile, kind: 'image', pixels: test.dataset.images.subarray(index * h * w, (index + 1) * h * w) },
        { ...tile, kind: 'mask', labels: test.dataset.masks.subarray(index * h * w, (index + 1) * h * w) },
        ...examples.map((perModel) => ({ ...tile, kind: 'mask' as const, labels: perModel[k] })),
      ],
    };
  });
  return montagePng(rows, {
    title: `${test.artifact.from}: image, ground truth and the prediction of each model`,
    columnTitles: ['image', 'ground truth', ...summary.models.map((m) => `${m.dataset} ${m.model}`)],
  });
}

export async function writeOutputs(outDir: string, outputs: EvaluationOutputs): Promise<void> {
  const { summary, scores } = outputs;
  await fs.writeFile(path.join(outDir, FILES.perImage), perImageCsv(scores));
  await fs.writeFile(path.join(outDir, FILES.summary), JSON.stringify(summary, null, 1) + '\n');
  const clinical = summary.clinical === undefined ? '' : `\n${clinicalMarkdown(summary.clinical)}`;
  await fs.writeFile(path.join(outDir, FILES.tableMarkdown), table1Markdown(summary) + clinical);
  if (outputs.clinical !== undefined) await fs.writeFile(path.join(outDir, FILES.clinical), clinicalCsv(outputs.clinical));
  await fs.writeFile(path.join(outDir, FILES.tableCsv), table1Csv(summary));
  // The tests are in summary.json too; the files exist only when there was something to compare.
  if (summary.pairedTests !== undefined && summary.pairedTests.length > 0) {
    await fs.writeFile(path.join(outDir, FILES.pairedMarkdown), pairedTestsMarkdown(summary.pairedTests));
    await fs.writeFile(path.join(outDir, FILES.pairedCsv), pairedTestsCsv(summary.pairedTests));
  }
  if (outputs.exampleIndices.length > 0) await fs.writeFile(path.join(outDir, FILES.examples), examplesPng(outputs));
}
