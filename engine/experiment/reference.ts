/**
 * A reference to an upstream output as written in `inputs:` or a matrix list: `node.port`, or `node`
 * alone (the port is then inferred from the types). `node` may be a plain id, a matrix group id (which
 * fans in every node of the group) or a generated id like `unet[train=camus,lr=0.01]`, whose labels may
 * contain dots; hence brackets are skipped before looking for the port separator.
 */
export interface Reference {
  node: string;
  port?: string;
}

const REFERENCE = /^([A-Za-z0-9_][A-Za-z0-9_-]*(?:\[[^[\]]*\])?)(?:\.([A-Za-z0-9_][A-Za-z0-9_-]*))?$/;

export function parseReference(text: string): Reference | undefined {
  const match = REFERENCE.exec(text);
  if (match === null) return undefined;
  return match[2] === undefined ? { node: match[1] } : { node: match[1], port: match[2] };
}

export function formatReference(reference: Reference): string {
  return reference.port === undefined ? reference.node : `${reference.node}.${reference.port}`;
}
