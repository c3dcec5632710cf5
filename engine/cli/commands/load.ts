import { registerBuiltinNodes } from '../../../nodes/types';
import { loadExperiment } from '../../experiment/experiment';
import { NodeRegistry } from '../../registry';
import type { ResolvedExperiment } from '../../experiment/resolved';

/**
 * What every command that reads an experiment starts from: a registry of the built-in node types, to
 * which the loader adds the experiment's plugins, and the loaded, validated experiment.
 */
export async function loadForCommand(file: string, set: string[]): Promise<{ experiment: ResolvedExperiment; registry: NodeRegistry }> {
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  const experiment = await loadExperiment(file, { registry, set });
  return { experiment, registry };
}
