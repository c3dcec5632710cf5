import { cardiganVersion } from './package-info';

/** The software that produced a result, for run records and entry provenance. */
export interface Versions {
  cardigan: string;
  /** @tensorflow/tfjs-core as installed (read from its package.json, so tfjs is not loaded for this). */
  tfjs: string;
  /** Node.js, e.g. v20.11.1. */
  node: string;
}

let cached: Versions | undefined;

export function versions(): Versions {
  if (cached === undefined) {
    cached = { cardigan: cardiganVersion(), tfjs: tfjsVersion(), node: process.version };
  }
  return cached;
}

function tfjsVersion(): string {
  try {
    return (require('@tensorflow/tfjs-core/package.json') as { version: string }).version;
  } catch {
    return 'not installed';
  }
}
