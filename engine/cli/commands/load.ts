import { formatDiagnostic } from '../../experiment/diagnostic';
import { loadExperiment } from '../../experiment/experiment';
import { NodeRegistry } from '../../registry';
import type { ResolvedExperiment } from '../../experiment/resolved';
import type { Program } from '../command';

/**
 * What every command that reads an experiment starts from: a registry of the program's node types, to
 * which the loader adds the experiment's plugins, and the loaded, validated experiment.
 */
export async function loadForCommand(file: string, set: string[], program: Program): Promise<{ experiment: ResolvedExperiment; registry: NodeRegistry }> {
  const registry = new NodeRegistry();
  program.registerNodes(registry);
  const experiment = await loadExperiment(file, { registry, set, ...(program.claims === undefined ? {} : { claimMetrics: program.claims().metrics }) });
  // Warnings refuse nothing; every command that reads the experiment shows them, on stderr.
  for (const warning of experiment.warnings ?? []) process.stderr.write(`${formatDiagnostic(warning, process.cwd())}\n`);
  return { experiment, registry };
}
