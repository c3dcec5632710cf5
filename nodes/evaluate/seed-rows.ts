import { STRUCTURE_NAMES, type StructureName } from '../metrics/segmentation-metrics';
import { GROUP_NAMES, METRIC_NAMES, type GroupName, type MetricName } from './aggregate';
import type { ModelSummary } from './model-summary';

/**
 * Table 1 rows over seeds: models that differ only by their `seed` matrix value (same dataset and
 * model name) make one row. Each cell is the mean over the seeds of each seed's mean over the test
 * images, ± the sample standard deviation (n − 1) of those per-seed means: the spread of the result
 * from one training run to the next, which is what a difference between two rows has to exceed to
 * be more than the luck of one run. (The spread over images is in each seed's own summary.)
 */

export interface SeedStat {
  /** Mean over seeds of the per-seed means; null when no seed has a value. */
  mean: number | null;
  /** Sample standard deviation (n − 1) of the per-seed means; null with fewer than two. */
  std: number | null;
  /** Seeds with a value. */
  seeds: number;
}

export interface SeedGroupSummary {
  /** Test images per seed. */
  images: number;
  metrics: Record<StructureName, Record<MetricName, SeedStat>>;
  /** Mean over seeds of the fraction of anatomically valid predictions. */
  valid: number;
  /** Images left out of the distances (an empty structure), summed over the seeds. */
  empty: Record<StructureName, number>;
}

export interface SeedRowSummary {
  dataset: string;
  model: string;
  /** The members' node ids and seeds, in the order evaluated. */
  ids: string[];
  seeds: string[];
  paper: ModelSummary['paper'];
  groups: Partial<Record<GroupName, SeedGroupSummary>>;
}

export function seedStat(values: readonly (number | null)[]): SeedStat {
  const present = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (present.length === 0) return { mean: null, std: null, seeds: 0 };
  const mean = present.reduce((s, v) => s + v, 0) / present.length;
  const std = present.length < 2 ? null : Math.sqrt(present.reduce((s, v) => s + (v - mean) ** 2, 0) / (present.length - 1));
  return { mean, std, seeds: present.length };
}

function groupOver(members: readonly ModelSummary[], group: GroupName): SeedGroupSummary | undefined {
  const summaries = members.map((m) => m.groups[group]);
  if (summaries.some((s) => s === undefined)) return undefined;
  const present = summaries as NonNullable<(typeof summaries)[number]>[];
  const metrics = {} as SeedGroupSummary['metrics'];
  const empty = {} as SeedGroupSummary['empty'];
  for (const structure of STRUCTURE_NAMES) {
    metrics[structure] = {} as Record<MetricName, SeedStat>;
    for (const metric of METRIC_NAMES) metrics[structure][metric] = seedStat(present.map((s) => s.metrics[structure][metric].mean));
    empty[structure] = present.reduce((sum, s) => sum + s.metrics[structure].hd.nan, 0);
  }
  return { images: present[0].images, metrics, valid: present.reduce((s, g) => s + g.valid.fraction, 0) / present.length, empty };
}

/** One row per (dataset, model) that has two or more seeded models. */
export function seedRows(models: readonly ModelSummary[]): SeedRowSummary[] {
  const byRow = new Map<string, ModelSummary[]>();
  for (const m of models) {
    if (m.seed === undefined) continue;
    const key = `${m.dataset}\u0000${m.model}`;
    byRow.set(key, [...(byRow.get(key) ?? []), m]);
  }
  const rows: SeedRowSummary[] = [];
  for (const members of byRow.values()) {
    if (members.length < 2) continue;
    const groups: SeedRowSummary['groups'] = {};
    for (const group of GROUP_NAMES) {
      const summary = groupOver(members, group);
      if (summary !== undefined) groups[group] = summary;
    }
    rows.push({
      dataset: members[0].dataset,
      model: members[0].model,
      ids: members.map((m) => m.id),
      seeds: members.map((m) => m.seed as string),
      paper: members[0].paper,
      groups,
    });
  }
  return rows;
}
