import { canonicalJson } from './canonical-json';
import { unreachable } from '../errors';
import { MISSING } from './external-fingerprint';
import type { Fingerprint, StaticParts } from './fingerprint';

/**
 * Why two fingerprints of the same node differ, part by part: the answer `plan --explain` gives to
 * "why does this rerun?". A union keyed by `part` so each kind is printed (and tested) on its own.
 */
export type KeyChange =
  | { part: 'format'; before: number; after: number }
  | { part: 'type'; before: string; after: string }
  | { part: 'version'; before: number; after: number }
  | { part: 'params'; changes: ParamChange[] }
  | { part: 'external'; path: string; before: string | undefined; after: string | undefined }
  | { part: 'input'; port: string; before: string[]; after: string[] }
  | { part: 'seed'; before: number; after: number };

/** One changed param at a dotted path; `undefined` on a side means absent there. */
export interface ParamChange {
  path: string;
  before: unknown;
  after: unknown;
}

/**
 * Compares two fingerprints. When `after` has no input hashes yet (its upstream has not run), pass
 * its static parts: inputs are then not compared, since they cannot be known before running.
 */
export function diffFingerprints(before: Fingerprint, after: Fingerprint | StaticParts): KeyChange[] {
  const changes: KeyChange[] = [];
  if (before.format !== after.format) changes.push({ part: 'format', before: before.format, after: after.format });
  if (before.type !== after.type) changes.push({ part: 'type', before: before.type, after: after.type });
  if (before.version !== after.version) changes.push({ part: 'version', before: before.version, after: after.version });
  const params = diffValues(before.params, after.params, '');
  if (params.length > 0) changes.push({ part: 'params', changes: params });
  const wasRead = before.external ?? {};
  const nowRead = after.external ?? {};
  for (const where of [...new Set([...Object.keys(wasRead), ...Object.keys(nowRead)])].sort()) {
    if (wasRead[where] !== nowRead[where]) changes.push({ part: 'external', path: where, before: wasRead[where], after: nowRead[where] });
  }
  if ('inputs' in after) {
    const ports = [...new Set([...Object.keys(before.inputs), ...Object.keys(after.inputs)])].sort();
    for (const port of ports) {
      const was = before.inputs[port] ?? [];
      const now = after.inputs[port] ?? [];
      if (canonicalJson(was) !== canonicalJson(now)) changes.push({ part: 'input', port, before: was, after: now });
    }
  }
  if (before.seed !== after.seed) changes.push({ part: 'seed', before: before.seed, after: after.seed });
  return changes;
}

function diffValues(before: unknown, after: unknown, path: string): ParamChange[] {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => diffValues(before[key], after[key], path === '' ? key : `${path}.${key}`));
  }
  const same = before === undefined || after === undefined ? before === after : canonicalJson(before) === canonicalJson(after);
  return same ? [] : [{ path, before, after }];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * One line per change, for people. `inputRefs` names what feeds each port (e.g. `camus.train`), so
 * an input change reads as a reference rather than two hashes.
 */
export function describeChange(change: KeyChange, inputRefs: Record<string, string[]> = {}): string {
  switch (change.part) {
    case 'format':
      return `cache format ${change.before} → ${change.after} (cardigan was upgraded)`;
    case 'type':
      return `node type ${change.before} → ${change.after}`;
    case 'version':
      return `node version ${change.before} → ${change.after}`;
    case 'params':
      return `params: ${change.changes.map((c) => `${c.path} ${show(c.before)} → ${show(c.after)}`).join(', ')}`;
    case 'external':
      if (change.before === undefined) return `external data now read: ${change.path}`;
      if (change.after === undefined) return `external data no longer read: ${change.path}`;
      return `external data changed: ${change.path}${change.after === MISSING ? ' (now missing)' : ''}`;
    case 'input': {
      const refs = inputRefs[change.port];
      const from = refs === undefined || refs.length === 0 ? '' : ` (${refs.join(', ')})`;
      const what =
        change.before.length !== change.after.length
          ? `${change.before.length} → ${change.after.length} artifacts`
          : `content ${change.before.map(short).join(',')} → ${change.after.map(short).join(',')}`;
      return `input ${change.port}${from}: ${what}`;
    }
    case 'seed':
      return `seed ${change.before} → ${change.after}`;
    default:
      return unreachable(change);
  }
}

function short(hash: string): string {
  return hash.slice(0, 8);
}

function show(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
