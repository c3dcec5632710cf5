import { performance } from 'perf_hooks';
import { resolveExperiment } from '../../engine/experiment/experiment';
import { NodeRegistry } from '../../engine/registry';
import { ExperimentTree } from '../rig/experiment-tree';
import { registerTestNodes } from '../rig/test-nodes';

/**
 * Benchmark (not a test): load + validate + resolve experiments of 1000 nodes, the budget being well
 * under a second (plan time is measured on top of this by the cache/scheduler benchmarks).
 *   a 10×10×10 matrix (one template, 1000 generated nodes) fanning into one tabulate node (shaped like evaluate);
 *   1000 separately written nodes in a chain (a large YAML file, 999 edges).
 * Run: npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/load-experiment.js
 */

function matrixExperiment(): string {
  const values = (f: (i: number) => string): string => `[${Array.from({ length: 10 }, (_, i) => f(i)).join(', ')}]`;
  return [
    'name: bench-matrix',
    'seed: 3',
    'defaults:',
    '  train: { optimizer: sgd }',
    'nodes:',
    '  data: { type: make-data, params: { size: 16 } }',
    '  unet:',
    '    type: train',
    '    inputs: { train: data.train, val: data.val }',
    `    matrix: { lr: ${values((i) => String((i + 1) / 1000))}, epochs: ${values((i) => String(i + 1))}, seed: ${values((i) => String(i))} }`,
    '  eval: { type: tabulate, inputs: { models: unet, test: data.val } }',
    '',
  ].join('\n');
}

function chainExperiment(): string {
  const lines = ['name: bench-chain', 'nodes:', '  n0: { type: source, params: { value: 1 } }'];
  for (let i = 1; i < 1000; i++) lines.push(`  n${i}: { type: sum, params: { scale: ${i} }, inputs: { values: [n${i - 1}.out] } }`);
  return lines.join('\n') + '\n';
}

async function time(file: string, root: string, runs: number): Promise<{ first: number; median: number; nodes: number }> {
  const samples: number[] = [];
  let nodes = 0;
  for (let i = 0; i < runs; i++) {
    const registry = new NodeRegistry();
    registerTestNodes(registry);
    const start = performance.now();
    const result = await resolveExperiment(file, { registry, cwd: root, set: ['unet.params.optimizer=adam'].filter(() => file.includes('matrix')) });
    samples.push(performance.now() - start);
    if (!result.ok) throw new Error(`${file}: ${JSON.stringify(result.error[0])}`);
    nodes = result.value.nodes.length;
  }
  const sorted = samples.slice(1).sort((a, b) => a - b);
  return { first: samples[0], median: sorted[Math.floor(sorted.length / 2)], nodes };
}

async function main(): Promise<void> {
  const tree = await ExperimentTree.create({ 'matrix.yaml': matrixExperiment(), 'chain.yaml': chainExperiment() });
  try {
    for (const file of ['matrix.yaml', 'chain.yaml']) {
      const { first, median, nodes } = await time(file, tree.root, 21);
      console.log(`${file}: ${nodes} nodes — first load ${first.toFixed(0)} ms (ajv compiles), then median ${median.toFixed(0)} ms over 20 loads`);
    }
  } finally {
    await tree.remove();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
