// Placeholder replaced by the experiment loader (engine-front). Kept so that other branches compile.
import type { NodeRegistry } from './registry';
import type { ResolvedExperiment } from './resolved';

export interface LoadOptions {
  registry: NodeRegistry;
  /** `--set id.params.key=value` overrides, in command-line order. */
  set?: string[];
}

export async function loadExperiment(file: string, options: LoadOptions): Promise<ResolvedExperiment> {
  void options;
  throw new Error(`experiment loading is not implemented yet (${file})`);
}
