import { createHash } from 'crypto';

/**
 * A node's seed: the first 32 bits of sha256 over (experiment seed, node id). It depends on nothing
 * else, so adding, removing or reordering other nodes never changes a node's seed (and so its cache key),
 * while two nodes of one experiment, including the members of a matrix group, draw different numbers.
 */
export function nodeSeed(experimentSeed: number, nodeId: string): number {
  return createHash('sha256')
    .update(JSON.stringify(['cardigan-seed/1', experimentSeed, nodeId]))
    .digest()
    .readUInt32BE(0);
}

export const MAX_SEED = 0xffff_ffff;
