import type { Diagnostic } from './diagnostic';
import type { Place } from './extends';
import type { NodeType, PortSpec } from '../node-api';
import { formatReference, parseReference } from './reference';
import type { InputRef } from './resolved';
import { didYouMean } from '../suggest';
import type { PathSegment } from './yaml-source';

/**
 * Connects a node's input ports to upstream outputs, checking everything that can be checked before
 * running: the port exists, each reference names a node and one of its outputs, the types match, a list
 * (or a matrix group) only feeds a port marked `multiple`, and every required port is connected.
 */

type AnyNodeType = NodeType<Record<string, unknown>>;

/** What the resolver knows about every node id that references may name. */
export interface NodeIndex {
  /** Expanded node ids; the type is undefined for a node whose own declaration is broken. */
  nodes: ReadonlyMap<string, { type?: AnyNodeType }>;
  /** Matrix group id → its nodes in expansion order. */
  groups: ReadonlyMap<string, readonly string[]>;
}

/** A port's value as written (a reference or a list of them) and where it is written. */
export interface WrittenInput {
  value: unknown;
  path: PathSegment[];
}

export interface Consumer {
  /** The id written in the file (the group id for matrix nodes): messages name what the user wrote. */
  name: string;
  nodeType: AnyNodeType;
  inputs: Record<string, WrittenInput>;
  /** Where the node is declared, for missing inputs. */
  declared: Place;
}

type PlaceOf = (path: PathSegment[], at?: 'key' | 'value') => Place;

export function connectInputs(consumer: Consumer, index: NodeIndex, place: PlaceOf): { inputs: Record<string, InputRef[]>; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const inputs: Record<string, InputRef[]> = {};
  const { name, nodeType } = consumer;
  const subject = `node "${name}" (${nodeType.type})`;
  for (const [port, written] of Object.entries(consumer.inputs)) {
    const spec = nodeType.inputs[port];
    if (spec === undefined) {
      diagnostics.push({
        ...place(written.path, 'key'),
        message: `${subject} has no input port "${port}"${didYouMean(port, Object.keys(nodeType.inputs))}`,
        hint: `its input ports: ${describePorts(nodeType.inputs)}`,
      });
      continue;
    }
    const items: WrittenInput[] = Array.isArray(written.value) ? written.value.map((value, i) => ({ value, path: [...written.path, i] })) : [written];
    const refs: InputRef[] = [];
    for (const item of items) refs.push(...resolveItem(item, port, spec, consumer, index, place, diagnostics));
    if (!spec.multiple && (Array.isArray(written.value) || refs.length > 1) && refs.length !== 1) {
      const what = Array.isArray(written.value) ? `a list of ${written.value.length}` : `${refs.length} outputs (a matrix group)`;
      diagnostics.push({
        ...place(written.path),
        message: `input "${port}" of ${subject} takes one reference, got ${what}`,
        hint: `only ports marked multiple take lists${Object.entries(nodeType.inputs).some(([, s]) => s.multiple) ? ` (here: ${multiplePorts(nodeType)})` : ''}; name one node, e.g. ${refs[0] === undefined ? 'node.port' : `${refs[0].nodeId}.${refs[0].port}`}`,
      });
      continue;
    }
    if (items.length === 0 && !spec.optional) {
      diagnostics.push({ ...place(written.path), message: `input "${port}" of ${subject} is an empty list`, hint: `it needs at least one ${spec.type}` });
      continue;
    }
    inputs[port] = refs;
  }
  for (const [port, spec] of Object.entries(nodeType.inputs)) {
    if (spec.optional || consumer.inputs[port] !== undefined) continue;
    diagnostics.push({
      ...consumer.declared,
      message: `${subject} is missing its required input "${port}" (${spec.type})`,
      hint: `add inputs: { ${port}: <node>.<port> } — ${spec.description}`,
    });
  }
  return { inputs, diagnostics };
}

function resolveItem(
  item: WrittenInput,
  port: string,
  spec: PortSpec,
  consumer: Consumer,
  index: NodeIndex,
  place: PlaceOf,
  diagnostics: Diagnostic[],
): InputRef[] {
  const at = place(item.path);
  if (typeof item.value !== 'string') {
    diagnostics.push({
      ...at,
      message: `input "${port}" of node "${consumer.name}" must be a reference "node.port", got ${Array.isArray(item.value) ? 'a nested list' : typeof item.value}`,
    });
    return [];
  }
  const text = item.value;
  const reference = parseReference(text);
  if (reference === undefined) {
    diagnostics.push({ ...at, message: `"${text}" is not a reference: write "node.port" or "node"` });
    return [];
  }
  const members = index.nodes.has(reference.node) ? [reference.node] : index.groups.get(reference.node);
  if (members === undefined) {
    const candidates = reference.node.includes('[') ? index.nodes.keys() : plainIds(index);
    diagnostics.push({ ...at, message: `unknown node "${reference.node}" in reference "${text}"${didYouMean(reference.node, candidates)}` });
    return [];
  }
  const refs: InputRef[] = [];
  for (const member of members) {
    const producer = index.nodes.get(member)?.type;
    // A broken producer has its own diagnostic; its ports cannot be checked.
    if (producer === undefined) continue;
    const outputPort = pickOutput(reference.node, reference.port, producer, port, spec, consumer.name);
    if ('message' in outputPort) {
      diagnostics.push({ ...at, ...outputPort });
      return [];
    }
    refs.push({ nodeId: member, port: outputPort.port });
  }
  return refs;
}

function pickOutput(
  node: string,
  wanted: string | undefined,
  producer: AnyNodeType,
  port: string,
  spec: PortSpec,
  consumerName: string,
): { port: string } | { message: string; hint?: string } {
  const outputs = Object.entries(producer.outputs);
  const target = `input "${port}" of node "${consumerName}"`;
  const hint = `"${node}" (${producer.type}) outputs: ${describePorts(producer.outputs)}`;
  if (wanted === undefined) {
    const fitting = outputs.filter(([, output]) => output.type === spec.type).map(([name]) => name);
    if (fitting.length === 1) return { port: fitting[0] };
    if (fitting.length > 1) return { message: `"${node}" has several ${spec.type} outputs (${fitting.join(', ')}): name one, e.g. "${node}.${fitting[0]}"` };
    return { message: `"${node}" has no ${spec.type} output for ${target}`, hint };
  }
  const output = producer.outputs[wanted];
  if (output === undefined) {
    return {
      message: `node "${node}" (${producer.type}) has no output "${wanted}"${didYouMean(
        wanted,
        outputs.map(([name]) => name),
      )}`,
      hint,
    };
  }
  if (output.type !== spec.type) {
    const fitting = outputs.filter(([, o]) => o.type === spec.type).map(([name]) => formatReference({ node, port: name }));
    return {
      message: `${node}.${wanted} is ${article(output.type)} but ${target} takes ${article(spec.type)}${fitting.length > 0 ? ` — did you mean "${fitting[0]}"?` : ''}`,
      hint,
    };
  }
  return { port: wanted };
}

function plainIds(index: NodeIndex): string[] {
  return [...[...index.nodes.keys()].filter((id) => !id.includes('[')), ...index.groups.keys()];
}

function describePorts(ports: Record<string, PortSpec>): string {
  const entries = Object.entries(ports);
  return entries.length === 0
    ? '(none)'
    : entries.map(([name, spec]) => `${name} (${spec.type}${spec.multiple ? ', multiple' : ''}${spec.optional ? ', optional' : ''})`).join(', ');
}

function multiplePorts(nodeType: AnyNodeType): string {
  return Object.entries(nodeType.inputs)
    .filter(([, spec]) => spec.multiple)
    .map(([name]) => name)
    .join(', ');
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
