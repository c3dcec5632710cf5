import { graphSvg, type GraphNodeState } from '../../nodes/report/graph-svg';
import { nodeAnchor } from '../../nodes/report/provenance';
import { resolvedExperiment } from '../rig/resolved-experiment';

const experiment = resolvedExperiment('/x/paper.yaml', [
  { id: 'camus', type: 'load-camus' },
  { id: 'unet[train=camus]', type: 'train-unet', group: 'unet', inputs: { train: ['camus.train'], val: ['camus.val'] } },
  { id: 'unet[train=<b>]', type: 'train-unet', group: 'unet', inputs: { train: ['camus.train'] } },
  { id: 'table1', type: 'evaluate', inputs: { models: ['unet[train=camus].model', 'unet[train=<b>].model'], test: ['camus.test'] } },
]);
experiment.nodes[1].matrix = { train: 'camus' };
experiment.nodes[2].matrix = { train: '<b>' };

function boxes(svg: string): { id: string; state: string; x: number; y: number; width: number }[] {
  return [...svg.matchAll(/<a href="#([^"]+)"><g class="node (\w+)"><title>[^<]*<\/title><rect x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)"/g)].map((m) => ({
    id: m[1],
    state: m[2],
    x: Number(m[3]),
    y: Number(m[4]),
    width: Number(m[5]),
  }));
}

describe('graph SVG', () => {
  const states = new Map<string, GraphNodeState>([
    ['camus', 'done'],
    ['unet[train=camus]', 'done'],
    ['unet[train=<b>]', 'failed'],
  ]);
  const svg = graphSvg(experiment, states).text;

  it('draws every node as a link to its section, coloured by its state', () => {
    expect(boxes(svg).map((b) => `${b.id} ${b.state}`)).toEqual([
      `${nodeAnchor('camus')} done`,
      `${nodeAnchor('unet[train=camus]')} done`,
      `${nodeAnchor('unet[train=<b>]')} failed`,
      `${nodeAnchor('table1')} missing`,
    ]);
    expect(svg).toContain('<title>table1 (not run yet)</title>');
  });

  it('lays out left to right, one labelled edge per producer → consumer pair', () => {
    const byId = new Map(boxes(svg).map((b) => [b.id, b]));
    const right = (id: string) => byId.get(nodeAnchor(id))?.x ?? NaN;
    expect(right('camus')).toBeLessThan(right('unet[train=camus]'));
    expect(right('unet[train=camus]')).toBeLessThan(right('table1'));
    // One edge per producer → consumer pair, however many ports it carries.
    expect(svg.match(/<g class="edge">/g)).toHaveLength(5);
    expect(svg).toContain('>train, val</text>');
    expect(svg).toContain('>model → models</text>');
  });

  it('boxes matrix groups, labels members by their matrix values, and escapes every label', () => {
    expect(svg).toContain('<g class="cluster">');
    expect(svg).toMatch(/<text x="[\d.]+" y="[\d.-]+">unet<\/text>/);
    expect(svg).toContain('>train=&lt;b&gt;</text>');
    expect(svg).not.toContain('<b>');
  });
});
