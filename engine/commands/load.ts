import { registerBuiltinNodes } from '../../nodes';
import { loadExperiment } from '../experiment';
import { NodeRegistry } from '../registry';
import type { ResolvedExperiment } from '../resolved';

/** What `plan` and `run` start from: the built-in node types (plus the experiment's plugins) and the loaded experiment. */
export async function loadForCommand(file: string, set: string[]): Promise<{ experiment: ResolvedExperiment; registry: NodeRegistry }> {
  const registry = new NodeRegistry();
  registerBuiltinNodes(registry);
  const experiment = await loadExperiment(file, { registry, set });
  return { experiment, registry };
}
