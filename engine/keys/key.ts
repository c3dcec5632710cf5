// Room keys/: what a node's cache key is made of and how it is hashed — the fingerprint, canonical
// JSON, artifact and external-data hashes, the job record, and explaining a changed key.
// Imports experiment/ types and the engine's top files; never cache/, run/, cli/, compute/.

import { createHash } from 'crypto';
import { canonicalJson } from './canonical-json';
import type { Fingerprint } from './fingerprint';

/**
 * A cache key and the parts it was hashed from (Nx keeps `Hash.details` beside `Hash.value` for the
 * same reason: a miss you cannot explain is a miss nobody trusts).
 */
export interface NodeKey {
  /** sha256 hex of the fingerprint's canonical JSON. */
  readonly hash: string;
  readonly parts: Fingerprint;
}

/** Hashes the fingerprint once; canonical JSON makes the result independent of key order. */
export function keyOf(parts: Fingerprint): NodeKey {
  return { hash: sha256Hex(canonicalJson(parts)), parts };
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** What the CLI prints: enough to tell keys apart at a glance, like a short git hash. */
export function shortKey(hash: string): string {
  return hash.slice(0, 10);
}

export function isKeyHash(text: string): boolean {
  return /^[0-9a-f]{64}$/.test(text);
}
