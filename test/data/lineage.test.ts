import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { NodeType, SubjectLineage } from '../../engine/node-api';
import type { DatasetItem } from '../../nodes/data/dataset-artifact';
import { carriedLineage, EMPTY_LINEAGE, lineageOfItems, restrictHeld, unionLineage } from '../../nodes/data/lineage';
import { readArtifactLineage, writeLineageFile } from '../../nodes/data/lineage-file';
import { node as generate } from '../../nodes/types/generate/node';
import { node as trainSpade } from '../../nodes/types/train-spade/node';
import { node as trainUnet } from '../../nodes/types/train-unet/node';

/** The lineage library: what each kind of node's outputs record, derived from port declarations alone. */

function item(patient: string, split: DatasetItem['split']): DatasetItem {
  return { id: `${patient}_4CH_ED`, patient, view: '4CH', phase: 'ED', source: 'synthetic', nativeSize: [8, 8], spacing: [1, 1], nativeSpacing: [1, 1], split };
}

const held = (source: string, split: 'train' | 'validation' | 'test' | 'none', ids: string[]): SubjectLineage => ({
  ...EMPTY_LINEAGE,
  held: [{ source, split, ids }],
});

describe('lineageOfItems', () => {
  it("groups a loader's patients by split, once each, in numeric order, with the loader's split names mapped to the engine's", () => {
    const items = [item('patient10', 'train'), item('patient2', 'train'), item('patient2', 'train'), item('patient3', 'val'), item('patient4', 'test')];
    expect(lineageOfItems(items, 'synthetic:1')).toEqual({
      held: [
        { source: 'synthetic:1', split: 'test', ids: ['patient4'] },
        { source: 'synthetic:1', split: 'train', ids: ['patient2', 'patient10'] },
        { source: 'synthetic:1', split: 'validation', ids: ['patient3'] },
      ],
      trained: [],
      selected: [],
    });
  });
});

describe('carriedLineage', () => {
  const cohort = (split: 'train' | 'validation' | 'test', ...ids: string[]) => held('synthetic:1', split, ids);

  it('a trained model: everything behind its train input is trained, behind its val input selected, kept apart', () => {
    const spadeImages: SubjectLineage = {
      held: [{ source: 'synthetic:1', split: 'train', ids: ['patient1'] }],
      trained: [{ source: 'synthetic:1', split: 'validation', ids: ['patient9'] }],
      selected: [],
    };
    const model = carriedLineage(trainUnet, 'model', { train: [spadeImages], val: [cohort('validation', 'patient8')] });
    expect(model).toEqual({
      held: [],
      trained: [
        { source: 'synthetic:1', split: 'train', ids: ['patient1'] },
        { source: 'synthetic:1', split: 'validation', ids: ['patient9'] },
      ],
      selected: [{ source: 'synthetic:1', split: 'validation', ids: ['patient8'] }],
    });
  });

  it("SPADE's model carries its data only (validation is drawn in the grids, not learnt from)", () => {
    expect(carriedLineage(trainSpade, 'model', { data: [cohort('train', 'patient1')], validation: [cohort('test', 'patient5')] })).toEqual({
      ...EMPTY_LINEAGE,
      trained: [{ source: 'synthetic:1', split: 'train', ids: ['patient1'] }],
    });
  });

  it("a generated dataset holds its masks' and styles' patients and carries its model's training data, transitively", () => {
    const vaeMasks: SubjectLineage = { ...EMPTY_LINEAGE, trained: [{ source: 'camus', split: 'train', ids: ['patient0001'] }] };
    const spade: SubjectLineage = { ...EMPTY_LINEAGE, trained: [{ source: 'synthetic:1', split: 'train', ids: ['patient1', 'patient2'] }] };
    const styles = cohort('test', 'patient7');
    expect(carriedLineage(generate, 'dataset', { model: [spade], masks: [vaeMasks], styles: [styles] })).toEqual({
      held: [{ source: 'synthetic:1', split: 'test', ids: ['patient7'] }],
      trained: [
        { source: 'camus', split: 'train', ids: ['patient0001'] },
        { source: 'synthetic:1', split: 'train', ids: ['patient1', 'patient2'] },
      ],
      selected: [],
    });
    // The preview port carries the same inputs (no `carries`: every input, the safe guess).
    expect(carriedLineage(generate, 'preview', { masks: [styles] }).held).toEqual(styles.held);
  });

  it("a loader's own items join what it carries; an undeclared output port is a bug", () => {
    const loader: Pick<NodeType, 'inputs' | 'outputs'> = { inputs: {}, outputs: { out: { type: 'dataset', description: 'x', split: ['train'] } } };
    expect(carriedLineage(loader, 'out', {}, cohort('train', 'patient1'))).toEqual(cohort('train', 'patient1'));
    expect(() => carriedLineage(loader, 'nope', {})).toThrow('lineage: no output port "nope"');
  });
});

describe('union and restriction', () => {
  it('union merges groups of one source and split; two sources of the same ids stay apart', () => {
    expect(
      unionLineage([held('camus', 'train', ['patient2']), held('camus', 'train', ['patient1', 'patient2']), held('synthetic:1', 'train', ['patient1'])]).held,
    ).toEqual([
      { source: 'camus', split: 'train', ids: ['patient1', 'patient2'] },
      { source: 'synthetic:1', split: 'train', ids: ['patient1'] },
    ]);
  });

  it('restrictHeld keeps only the patients still there (a filter, a subset), dropping emptied groups, leaving what models learnt', () => {
    const lineage: SubjectLineage = {
      held: [
        { source: 'camus', split: 'train', ids: ['patient1', 'patient2'] },
        { source: 'camus', split: 'test', ids: ['patient3'] },
      ],
      trained: [{ source: 'camus', split: 'test', ids: ['patient3'] }],
      selected: [],
    };
    expect(restrictHeld(lineage, new Set(['patient2']))).toEqual({
      held: [{ source: 'camus', split: 'train', ids: ['patient2'] }],
      trained: lineage.trained,
      selected: [],
    });
  });
});

describe('lineage files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cardigan-lineage-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it("a model's lineage.json reads back; a folder without a record has none; a dataset's is in its manifest", async () => {
    expect(await readArtifactLineage(dir)).toBeUndefined();
    const lineage = held('camus', 'test', ['patient0001']);
    await writeLineageFile(dir, lineage);
    expect(await readArtifactLineage(dir)).toEqual(lineage);
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ format: 'cardigan-dataset/1', items: [] }));
    expect(await readArtifactLineage(dir)).toBeUndefined();
  });

  it('a malformed record is an error naming its file', async () => {
    await fs.writeFile(path.join(dir, 'lineage.json'), JSON.stringify({ held: [{ source: 'camus' }], trained: [], selected: [] }));
    await expect(readArtifactLineage(dir)).rejects.toThrow(`${path.join(dir, 'lineage.json')}: its lineage record is malformed`);
  });
});
