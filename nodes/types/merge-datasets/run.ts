import { didYouMean, type InputArtifact, many, type NodeContext, type NodeInputs, UserError } from '../../../engine';
import { type Dataset, type DatasetItem, gatherItems, readDataset, withLineage, writeDataset } from '../../data/dataset-artifact';
import { carriedLineage, EMPTY_LINEAGE, restrictHeld } from '../../data/lineage';
import { deriveSeed, Random } from '../../data/random';
import { type MergeDatasetsParams, node, type Take } from './node';

/** The `take` entry that names input `position`, by position, node id or reference; unknown keys are errors. */
function takesByInput(inputs: readonly InputArtifact[], take: Record<string, Take>): Array<Take | undefined> {
  const names = inputs.map((input, position) => [String(position), input.nodeId, input.from]);
  for (const key of Object.keys(take)) {
    if (!names.some((n) => n.includes(key))) {
      const known = names.flat();
      throw new UserError(
        `merge-datasets: take.${key} names no input${didYouMean(key, known)}; name an input by position (0..${inputs.length - 1}), node id or reference (${inputs.map((i) => i.from).join(', ')})`,
      );
    }
  }
  return names.map((n) => {
    const matches = n.filter((name) => take[name] !== undefined);
    if (new Set(matches.map((name) => take[name])).size > 1) {
      throw new UserError(`merge-datasets: input ${n[2]} is named twice in take (${matches.join(', ')}); keep one`);
    }
    return matches.length > 0 ? take[matches[0]] : undefined;
  });
}

/** Indices of the items kept: whole units (items or patients) picked by the seed, in their original order. */
export function selectItems(items: readonly DatasetItem[], take: Take | undefined, unit: 'item' | 'patient', seed: number): number[] {
  const units = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = unit === 'patient' ? item.patient : String(index);
    units.set(key, [...(units.get(key) ?? []), index]);
  });
  const all = [...units.values()];
  if (take === undefined) return all.flat();
  let count = all.length;
  if (take.fraction !== undefined) count = Math.min(count, Math.round(take.fraction * all.length));
  if (take.limit !== undefined) count = Math.min(count, take.limit);
  return new Random(seed)
    .shuffle(all)
    .slice(0, count)
    .flat()
    .sort((a, b) => a - b);
}

/** Concatenates the kept items of every input, prefixing ids that occur in more than one. */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: MergeDatasetsParams): Promise<void> {
  const sources = many(inputs, 'datasets');
  if (sources.length === 0) throw new UserError('merge-datasets: connect at least one dataset to its datasets input');
  const takes = takesByInput(sources, params.take ?? {});
  const datasets: Dataset[] = [];
  for (const source of sources) datasets.push(await readDataset(source.dir));
  const [first] = datasets;
  datasets.forEach((dataset, k) => {
    if (dataset.manifest.size.join('×') !== first.manifest.size.join('×')) {
      throw new UserError(
        `merge-datasets: ${sources[0].from} is ${first.manifest.size.join('×')} but ${sources[k].from} is ${dataset.manifest.size.join('×')}; produce them at one size`,
      );
    }
    if (dataset.manifest.hasImages !== first.manifest.hasImages) {
      throw new UserError(
        `merge-datasets: ${sources[k].from} ${dataset.manifest.hasImages ? 'has' : 'has no'} images but ${sources[0].from} ${first.manifest.hasImages ? 'has' : 'has not'}; merge image datasets with image datasets`,
      );
    }
  });
  const kept = datasets.map((dataset, k) => selectItems(dataset.manifest.items, takes[k], params.unit ?? 'item', deriveSeed(ctx.seed, `take/${k}`)));
  // Which inputs each kept id occurs in: ids found in more than one input get prefixed.
  const owners = new Map<string, Set<number>>();
  kept.forEach((indices, k) => {
    for (const i of indices) {
      const id = datasets[k].manifest.items[i].id;
      owners.set(id, (owners.get(id) ?? new Set<number>()).add(k));
    }
  });
  const nodeIdCount = new Map<string, number>();
  for (const source of sources) nodeIdCount.set(source.nodeId, (nodeIdCount.get(source.nodeId) ?? 0) + 1);
  const items: DatasetItem[] = [];
  kept.forEach((indices, k) => {
    const source = sources[k];
    // The same node feeding twice needs its position to tell its items apart.
    const prefix = (nodeIdCount.get(source.nodeId) ?? 0) > 1 ? `${source.nodeId}#${k}` : source.nodeId;
    for (const i of indices) {
      const item = datasets[k].manifest.items[i];
      const collides = (owners.get(item.id)?.size ?? 0) > 1;
      items.push({ ...item, id: collides ? `${prefix}/${item.id}` : item.id, extra: { ...item.extra, mergedFrom: source.from } });
    }
    ctx.log(`${source.from}: kept ${indices.length} of ${datasets[k].manifest.items.length} items`);
  });
  // Each input brings the patients of the items kept from it (a subset leaves the others out), and whatever models learnt behind them.
  const restricted = datasets.map((dataset, k) =>
    restrictHeld(dataset.manifest.lineage ?? EMPTY_LINEAGE, new Set(kept[k].map((i) => dataset.manifest.items[i].patient))),
  );
  const lineage = carriedLineage(node, 'dataset', { datasets: restricted });
  await writeDataset(
    ctx.outputDir('dataset'),
    withLineage(
      gatherItems(
        datasets.map((dataset, k) => ({ dataset, indices: kept[k] })),
        items,
      ),
      lineage,
    ),
  );
}
