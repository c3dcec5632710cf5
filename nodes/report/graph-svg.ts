import { graphlib, layout, type Edge } from '@dagrejs/dagre';
import { buildGraph } from '../../engine/cli/reporting';
import type { ResolvedExperiment, ResolvedNode } from '../../engine';
import { html, type Html } from './html';
import { nodeAnchor } from './provenance';

/**
 * The experiment graph as an SVG drawn in Node: dagre (the layered layout behind Mermaid's
 * flowcharts) places the boxes and routes the edges, left to right; matrix groups are boxes around
 * their nodes. Each node links to its section and is coloured by whether its results are in the cache.
 */

export type GraphNodeState = 'done' | 'failed' | 'missing';

const FONT_SIZE = 13;
/** Width of a character at FONT_SIZE, generous for a proportional sans-serif (the SVG is laid out before any font is known). */
const CHAR_WIDTH = 7.4;
const LINE_HEIGHT = 17;
const PAD_X = 12;
const PAD_Y = 8;
const EDGE_FONT_SIZE = 11;
const EDGE_CHAR_WIDTH = 6.3;

interface Box {
  width: number;
  height: number;
  x?: number;
  y?: number;
  lines?: string[];
  cluster?: string;
}

interface EdgeLabel {
  width: number;
  height: number;
  label: string;
  points?: { x: number; y: number }[];
  x?: number;
  y?: number;
}

function labelLines(node: ResolvedNode): string[] {
  const name =
    node.label ??
    (node.matrix === undefined
      ? node.id
      : Object.entries(node.matrix)
          .map(([k, v]) => `${k}=${v}`)
          .join(', '));
  return [name, node.type];
}

function curve(points: readonly { x: number; y: number }[]): string {
  const p = points.map((point) => ({ x: Number(point.x.toFixed(1)), y: Number(point.y.toFixed(1)) }));
  let d = `M${p[0].x},${p[0].y}`;
  for (let i = 1; i < p.length - 1; i++) {
    const mid = { x: (p[i].x + p[i + 1].x) / 2, y: (p[i].y + p[i + 1].y) / 2 };
    d += ` Q${p[i].x},${p[i].y} ${mid.x},${mid.y}`;
  }
  const last = p[p.length - 1];
  return `${d} L${last.x},${last.y}`;
}

export function graphSvg(experiment: ResolvedExperiment, states: ReadonlyMap<string, GraphNodeState>): Html {
  const dag = buildGraph(experiment.nodes);
  const g = new graphlib.Graph<
    { rankdir: string; nodesep: number; ranksep: number; marginx: number; marginy: number; width?: number; height?: number },
    Box,
    EdgeLabel
  >({ compound: true, multigraph: false });
  g.setGraph({ rankdir: 'LR', nodesep: 22, ranksep: 56, marginx: 12, marginy: 12 });
  for (const node of experiment.nodes) {
    const lines = labelLines(node);
    g.setNode(node.id, { width: Math.max(...lines.map((l) => l.length)) * CHAR_WIDTH + 2 * PAD_X, height: lines.length * LINE_HEIGHT + 2 * PAD_Y, lines });
    if (node.group !== undefined) {
      const cluster = `group:${node.group}`;
      if (!g.hasNode(cluster)) g.setNode(cluster, { width: 0, height: 0, cluster: node.group });
      g.setParent(node.id, cluster);
    }
  }
  dag.forEachEdge((_edge, attributes, source, target) => {
    const label = attributes.links.map((link) => (link.from === link.to ? link.from : `${link.from} → ${link.to}`)).join(', ');
    g.setEdge(source, target, { label, width: label.length * EDGE_CHAR_WIDTH + 6, height: EDGE_FONT_SIZE + 4 });
  });
  layout(g);

  const clusters: Html[] = [];
  const boxes: Html[] = [];
  for (const id of g.nodes()) {
    const box: Box = g.node(id);
    const x = (box.x ?? 0) - box.width / 2;
    const y = (box.y ?? 0) - box.height / 2;
    if (box.cluster !== undefined) {
      clusters.push(
        html`<g class="cluster"><rect x="${x.toFixed(1)}" y="${(y - 14).toFixed(1)}" width="${box.width.toFixed(1)}" height="${(box.height + 14).toFixed(1)}" rx="8"></rect><text x="${(x + 8).toFixed(1)}" y="${(y - 1).toFixed(1)}">${box.cluster}</text></g>`,
      );
      continue;
    }
    const state = states.get(id) ?? 'missing';
    const lines = (box.lines ?? []).map(
      (line: string, i: number) =>
        html`<text class="${i === 0 ? 'name' : 'type'}" x="${(x + box.width / 2).toFixed(1)}" y="${(y + PAD_Y + (i + 0.75) * LINE_HEIGHT).toFixed(1)}">${line}</text>`,
    );
    boxes.push(
      html`<a href="#${nodeAnchor(id)}"><g class="node ${state}"><title>${id} (${state === 'done' ? 'results in the cache' : state === 'failed' ? 'failed in the last run' : 'not run yet'})</title><rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${box.width.toFixed(1)}" height="${box.height.toFixed(1)}" rx="6"></rect>${lines}</g></a>`,
    );
  }
  const edges = g.edges().map((e: Edge) => {
    const edge: EdgeLabel = g.edge(e);
    const points = edge.points ?? [];
    const label =
      edge.x === undefined || edge.y === undefined
        ? ''
        : html`<text class="edge-label" x="${edge.x.toFixed(1)}" y="${(edge.y + 4).toFixed(1)}">${edge.label}</text>`;
    return html`<g class="edge"><path d="${curve(points)}" marker-end="url(#graph-arrow)"></path>${label}</g>`;
  });
  const { width = 0, height = 0 } = g.graph();
  return html`<svg class="graph" xmlns="http://www.w3.org/2000/svg" width="${Math.ceil(width)}" height="${Math.ceil(height + 14)}" viewBox="0 -14 ${Math.ceil(width)} ${Math.ceil(height + 14)}" role="img" aria-label="experiment graph"><defs><marker id="graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker></defs>${clusters}${edges}${boxes}</svg>`;
}

/** Font sizes the page's CSS must use for the boxes above to fit their text. */
export const GRAPH_FONT = { node: FONT_SIZE, edge: EDGE_FONT_SIZE };
