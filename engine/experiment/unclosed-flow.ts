import { isMap, isSeq, visit } from 'yaml';
import type { Document, YAMLError } from 'yaml';

/**
 * Where a flow collection that was never closed opens. yaml reports `params: { size: 64` (and the end
 * of the file) where it gave up, the line after the last one; the place to edit is the `{` or `[` that
 * has no partner, which is what Python and TypeScript point at for an unclosed bracket.
 */
export interface UnclosedFlow {
  /** Offset of the opening bracket. */
  offset: number;
  bracket: '{' | '[';
}

const UNCLOSED = /^Flow (map|sequence) in block collection must be sufficiently indented and end with a [}\]]$/;

export function unclosedFlow(doc: Document.Parsed, text: string, error: YAMLError): UnclosedFlow | undefined {
  const kind = UNCLOSED.exec(error.message)?.[1];
  if (kind === undefined) return undefined;
  const bracket = kind === 'map' ? '{' : '[';
  let found: UnclosedFlow | undefined;
  // yaml ends the unclosed collection's range exactly where it reports the error.
  visit(doc, (_key, node) => {
    const collection = kind === 'map' ? (isMap(node) ? node : undefined) : isSeq(node) ? node : undefined;
    const range = collection?.flow === true ? collection.range : undefined;
    if (range != null && range[1] === error.pos[0] && text[range[0]] === bracket) {
      found = { offset: range[0], bracket };
      return visit.BREAK;
    }
    return undefined;
  });
  return found;
}
