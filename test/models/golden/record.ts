import { writeFileSync } from 'fs';
import * as path from 'path';
import { initBackend } from '../../../engine/compute/backend';
import { GOLDEN_NETWORKS, type GoldenNetwork, stepFigures } from './steps';

/**
 * Writes golden-steps.json: `node -r ./test/rig/ts-register.js test/models/golden/record.ts`.
 * Run it only to re-baseline on purpose (a change that is meant to move the numbers), and say so.
 */
async function main(): Promise<void> {
  await initBackend('wasm');
  const figures = Object.fromEntries(Object.keys(GOLDEN_NETWORKS).map((name) => [name, stepFigures(name as GoldenNetwork)]));
  const file = path.join(__dirname, 'golden-steps.json');
  writeFileSync(file, format({ backend: 'wasm', recorded: new Date().toISOString().slice(0, 10), ...figures }));
  process.stdout.write(`wrote ${file}\n`);
}

/** Two-space JSON with each array of numbers (a gradient's figures, the losses) on one line, for readable diffs. */
function format(value: unknown): string {
  const text = JSON.stringify(value, null, 2);
  return text.replace(/\[\s*([^[\]{}]*?)\s*\]/g, (_, inner: string) => `[${inner.split(/,\s*/).join(', ')}]`) + '\n';
}

void main();
