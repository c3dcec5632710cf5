import { promises as fs } from 'fs';
import * as path from 'path';
import { type InputArtifact, many, type NodeContext, type NodeInputs, UserError } from '../../../engine';
import { readDataset, type Dataset } from '../../data/dataset-artifact';
import { mulberry32 } from '../../data/random';
import { matrix, pairwiseDistances, stackRows } from '../../umap/distances';
import { embed } from '../../umap/embed';
import { featureMatrix, type FeatureKind } from '../../umap/features';
import { range } from '../../umap/knn';
import { datasetLabels } from '../../umap/labels';
import { writeEmbedding, type EmbeddedItem, type GapReport } from '../../umap/outputs';
import { gapMetrics } from '../../umap/prdc';
import { sampleIndices } from '../../umap/sample';
import { trustworthiness } from '../../umap/trustworthiness';
import type { EmbeddingManifest, UmapParams } from './node';

interface LabelledDataset {
  label: string;
  artifact: InputArtifact;
  dataset: Dataset;
  /** Indices of the sampled items, increasing. */
  chosen: number[];
}

function checkInputs(sets: readonly LabelledDataset[], kinds: readonly FeatureKind[], params: UmapParams): void {
  for (const { label, artifact, dataset, chosen } of sets) {
    const [h, w] = dataset.manifest.size;
    if (params.downsample > Math.min(h, w)) {
      throw new UserError(
        `params.downsample = ${params.downsample} is larger than dataset "${label}" (${artifact.from}, ${h}×${w}); use at most ${Math.min(h, w)}`,
      );
    }
    if (kinds.includes('images') && !dataset.manifest.hasImages) {
      throw new UserError(`dataset "${label}" (${artifact.from}) holds masks only; use features: masks`);
    }
    if (chosen.length <= params.k) {
      throw new UserError(`dataset "${label}" (${artifact.from}) has ${chosen.length} items to embed; params.k = ${params.k} needs at least ${params.k + 1}`);
    }
  }
  const total = sets.reduce((sum, s) => sum + s.chosen.length, 0);
  if (total <= params.nNeighbors || params.k >= total / 2) {
    throw new UserError(`${total} items in all are too few for nNeighbors = ${params.nNeighbors} and k = ${params.k} (need more than nNeighbors and 2·k)`);
  }
}

async function embedKind(
  ctx: NodeContext,
  kind: FeatureKind,
  sets: readonly LabelledDataset[],
  reference: string,
  seed: number,
  params: UmapParams,
): Promise<void> {
  const parts = sets.map((s) => featureMatrix(s.dataset, s.chosen, kind, params.downsample));
  const features = stackRows(parts);
  ctx.log(`${kind}: ${features.rows} items × ${features.cols} features; exact pairwise distances`);
  const distances = pairwiseDistances(features);

  const blocks = new Map<string, Int32Array>();
  let offset = 0;
  for (const s of sets) {
    blocks.set(s.label, range(offset, offset + s.chosen.length));
    offset += s.chosen.length;
  }
  const real = blocks.get(reference) as Int32Array;
  const comparisons = sets
    .filter((s) => s.label !== reference)
    .map((s) => ({ dataset: s.label, ...gapMetrics(distances, real, blocks.get(s.label) as Int32Array, params.k) }));

  const coordinates = embed(distances, {
    nComponents: params.nComponents,
    nNeighbors: params.nNeighbors,
    minDist: params.minDist,
    nEpochs: params.nEpochs,
    seed,
    onEpoch: (done, total) => {
      ctx.signal.throwIfAborted();
      ctx.progress({ done, total, unit: 'epoch', message: kind });
    },
  });
  const embedded = pairwiseDistances(matrix(coordinates, features.rows, params.nComponents));
  const report: GapReport = {
    features: kind,
    dimensions: features.cols,
    downsample: params.downsample,
    reference,
    k: params.k,
    comparisons,
    trustworthiness: { k: params.k, value: trustworthiness(distances, embedded, params.k) },
  };
  const items: EmbeddedItem[] = sets.flatMap((s) => s.chosen.map((i) => ({ dataset: s.label, id: s.dataset.manifest.items[i].id })));
  const order = [reference, ...sets.map((s) => s.label).filter((label) => label !== reference)];
  await writeEmbedding(path.join(ctx.outputDir('embedding'), kind), { kind, items, coordinates, nComponents: params.nComponents, order, report });
}

/** Samples, embeds and compares the datasets for each feature kind, then writes embedding.json. */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: UmapParams): Promise<void> {
  const artifacts = many(inputs, 'datasets');
  if (artifacts.length < 2) {
    throw new UserError(`umap needs two or more datasets in inputs.datasets (got ${artifacts.length}), e.g. [camus.train, camusx.dataset]`);
  }
  const labels = datasetLabels(artifacts, params.labels);
  const reference = params.reference ?? labels[0];
  if (!labels.includes(reference)) {
    throw new UserError(`params.reference "${reference}" is not one of the dataset labels: ${labels.join(', ')}`);
  }
  const seed = params.seed ?? ctx.seed;
  // Sampling and the layout draw from two streams seeded apart (seed, seed + 1), not one shared stream.
  const sampling = mulberry32(seed);
  const sets: LabelledDataset[] = [];
  for (const [i, artifact] of artifacts.entries()) {
    const dataset = await readDataset(artifact.dir);
    sets.push({ label: labels[i], artifact, dataset, chosen: sampleIndices(dataset.manifest.items.length, params.sample, sampling) });
  }
  const kinds: FeatureKind[] = params.features === 'both' ? ['masks', 'images'] : [params.features];
  checkInputs(sets, kinds, params);

  for (const kind of kinds) await embedKind(ctx, kind, sets, reference, (seed + 1) >>> 0, params);

  const manifest: EmbeddingManifest = {
    format: 'cardigan-embedding/1',
    features: kinds,
    nComponents: params.nComponents,
    reference,
    seed,
    datasets: sets.map((s) => ({ label: s.label, from: s.artifact.from, items: s.dataset.manifest.items.length, sampled: s.chosen.length })),
  };
  await fs.writeFile(path.join(ctx.outputDir('embedding'), 'embedding.json'), JSON.stringify(manifest, null, 1) + '\n');
}
