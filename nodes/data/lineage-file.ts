import { promises as fs } from 'fs';
import * as path from 'path';
import { type InputArtifact, many, type NodeInputs, type NodeType, type OutputArtifact, type SubjectLineage } from '../../engine';
import { carriedLineage, EMPTY_LINEAGE } from './lineage';

/**
 * Where an artifact keeps its lineage: a dataset in its manifest (`lineage`, beside the items it
 * describes), anything else (a model) in `lineage.json` at the top of its folder. Node definitions
 * import this module for `readLineage`, so it loads nothing but Node's own modules.
 */

export const LINEAGE_FILE = 'lineage.json';
const MANIFEST_FILE = 'manifest.json';

/** The lineage an artifact folder records, or undefined when it records none (an artifact from before lineage, a plugin's). */
export async function readArtifactLineage(dir: string): Promise<SubjectLineage | undefined> {
  const manifest = await readJson(path.join(dir, MANIFEST_FILE));
  if (manifest !== undefined) return checked(manifest.value.lineage, manifest.file);
  const own = await readJson(path.join(dir, LINEAGE_FILE));
  return own === undefined ? undefined : checked(own.value, own.file);
}

/** `readLineage` of every built-in node type (engine/node-api.ts): they all record lineage this way. */
export function readLineage(artifact: OutputArtifact): Promise<SubjectLineage | undefined> {
  return readArtifactLineage(artifact.dir);
}

/** Writes `lineage.json` into an output folder that is no dataset (a model). */
export async function writeLineageFile(dir: string, lineage: SubjectLineage): Promise<void> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, LINEAGE_FILE), JSON.stringify(lineage, null, 1) + '\n');
}

/** Writes `lineage.json` for output `port` of a node of `type` (a model): what its inputs carry, by their roles. */
export async function writeOutputLineage(dir: string, type: Pick<NodeType, 'inputs' | 'outputs'>, port: string, inputs: NodeInputs): Promise<void> {
  await writeLineageFile(dir, await outputLineage(type, port, inputs));
}

/** The recorded lineage of each connected input, by port (an input without a record counts as none). */
export async function inputLineages(inputs: NodeInputs): Promise<Record<string, SubjectLineage[]>> {
  const entries = await Promise.all(Object.keys(inputs).map(async (port) => [port, await Promise.all(many(inputs, port).map(lineageOrNone))] as const));
  return Object.fromEntries(entries);
}

/** The lineage output `port` of a node of `type` carries, read from its inputs (see carriedLineage). */
export async function outputLineage(
  type: Pick<NodeType, 'inputs' | 'outputs'>,
  port: string,
  inputs: NodeInputs,
  own?: SubjectLineage,
): Promise<SubjectLineage> {
  return carriedLineage(type, port, await inputLineages(inputs), own);
}

async function lineageOrNone(artifact: InputArtifact): Promise<SubjectLineage> {
  return (await readArtifactLineage(artifact.dir)) ?? EMPTY_LINEAGE;
}

async function readJson(file: string): Promise<{ file: string; value: Record<string, unknown> } | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { file, value: JSON.parse(text) as Record<string, unknown> };
}

/** A record of the right shape, or undefined when there is none; a malformed one is an error naming its file. */
function checked(value: unknown, file: string): SubjectLineage | undefined {
  if (value === undefined) return undefined;
  const record = value as Partial<Record<keyof SubjectLineage, unknown>>;
  const kinds = [record.held, record.trained, record.selected];
  const groupsOk = kinds.every(
    (groups) =>
      Array.isArray(groups) &&
      groups.every(
        (g: { source?: unknown; split?: unknown; ids?: unknown }) => typeof g.source === 'string' && typeof g.split === 'string' && Array.isArray(g.ids),
      ),
  );
  if (!groupsOk) throw new Error(`${file}: its lineage record is malformed (expected held, trained and selected lists of { source, split, ids })`);
  return value as SubjectLineage;
}
