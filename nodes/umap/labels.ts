import { didYouMean, type InputArtifact, UserError } from '../../engine';

/**
 * The label each input dataset carries in tables, CSVs and legends: `labels[from]`, else
 * `labels[nodeId]`, else the node id — or the full reference where two inputs come from one node
 * (`camus.train`, `camus.test`). A `labels` key that names no input is refused: it is a typo.
 */
export function datasetLabels(artifacts: readonly InputArtifact[], labels: Readonly<Record<string, string>> = {}): string[] {
  const known = new Set(artifacts.flatMap((a) => [a.from, a.nodeId]));
  for (const key of Object.keys(labels)) {
    if (!known.has(key)) {
      throw new UserError(
        `params.labels: "${key}" is not one of the input datasets${didYouMean(key, known)} (inputs: ${[...new Set(artifacts.map((a) => a.from))].join(', ')})`,
      );
    }
  }
  const perNode = new Map<string, number>();
  for (const a of artifacts) perNode.set(a.nodeId, (perNode.get(a.nodeId) ?? 0) + 1);
  const result = artifacts.map((a) => labels[a.from] ?? labels[a.nodeId] ?? (perNode.get(a.nodeId) === 1 ? a.nodeId : a.from));
  const seen = new Map<string, string>();
  artifacts.forEach((a, i) => {
    const other = seen.get(result[i]);
    if (other !== undefined) {
      throw new UserError(`inputs ${other} and ${a.from} are both labelled "${result[i]}"; give them different labels in params.labels`);
    }
    seen.set(result[i], a.from);
  });
  return result;
}
