import { paramsCheck } from '../../engine/experiment/validate';
import type { NodeType } from '../../engine/node-api';

/**
 * A node's params as the engine hands them to `run`: `given` with its schema's defaults filled in (and
 * checked), for tests that call a node's run directly. Nodes read defaults from the schema only.
 */
export function withDefaults<P>(node: NodeType<P>, given: Partial<P>): P {
  const check = paramsCheck(node.paramsSchema);
  if ('error' in check) throw new Error(`${node.type}: its params schema does not compile: ${check.error}`);
  const params = structuredClone(given) as Record<string, unknown>;
  const problems = check(params);
  if (problems.length > 0) throw new Error(`${node.type}: params ${JSON.stringify(given)} do not pass the schema: ${JSON.stringify(problems)}`);
  return params as P;
}
