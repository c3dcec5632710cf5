import type { NodeType, SubjectLineage } from '../../engine/node-api';
import { checkInputLineage, describeFinding } from '../../engine/run/lineage-check';

/** The run-time check's comparison, on crafted lineage records: who counts as the same patient, and what each role means. */

const EVALUATOR: Pick<NodeType, 'inputs'> = {
  inputs: { models: { type: 'model', description: 'm', multiple: true }, test: { type: 'dataset', description: 't', role: 'evaluate' } },
};
const TRAINER: Pick<NodeType, 'inputs'> = {
  inputs: { train: { type: 'dataset', description: 't', role: 'train' }, val: { type: 'dataset', description: 'v', role: 'select' } },
};

const none: SubjectLineage = { held: [], trained: [], selected: [] };
const testSet = (source: string, ...ids: string[]): SubjectLineage => ({ ...none, held: [{ source, split: 'test', ids }] });

describe('test patients in a model evaluated on them', () => {
  it('match on source and id: the same id from another cohort is another patient', () => {
    const model: SubjectLineage = { ...none, trained: [{ source: 'synthetic:2', split: 'train', ids: ['patient0001'] }] };
    const inputs = [
      { port: 'models', from: 'unet.model', lineage: model },
      { port: 'test', from: 'camus.test', lineage: testSet('synthetic:1', 'patient0001') },
    ];
    expect(checkInputLineage('table1', EVALUATOR, inputs, 'warn')).toEqual([]);
  });

  it('are found where the model picked its epoch on them, and named as such; many are shown as a few', () => {
    const ids = ['patient0001', 'patient0002', 'patient0003', 'patient0004', 'patient0005', 'patient0006'];
    const model: SubjectLineage = { ...none, selected: [{ source: 'camus', split: 'validation', ids }] };
    const findings = checkInputLineage(
      'table1',
      EVALUATOR,
      [
        { port: 'models', from: 'unet.model', lineage: model },
        { port: 'test', from: 'camus.test', lineage: testSet('camus', ...ids) },
      ],
      'allow',
    );
    expect(findings).toEqual([
      {
        reason: 'test-subjects-learnt',
        node: 'table1',
        evaluated: 'camus.test',
        from: 'unet.model',
        port: 'models',
        as: 'selected',
        subjects: [{ source: 'camus', split: 'validation', ids }],
      },
    ]);
    expect(describeFinding(findings[0], ['other.val', 'unet.model'])).toMatch(
      /^table1: patient leak: 6 patients of camus \(patient0001, patient0002, patient0003, patient0004, and 2 more\) that table1 evaluates on \(camus\.test\) are in the model-selection data of unet\.model \(loaded there as validation patients\): other\.val → unet\.model → table1 \(models\); fix:/,
    );
  });

  it("are no leak where only the test set's own generator learnt from them (the spade protocol)", () => {
    const generated: SubjectLineage = {
      held: [{ source: 'camus', split: 'test', ids: ['patient0009'] }],
      trained: [{ source: 'camus', split: 'train', ids: ['patient0001'] }],
      selected: [],
    };
    const model: SubjectLineage = { ...none, trained: [{ source: 'camus', split: 'train', ids: ['patient0001'] }] };
    expect(
      checkInputLineage(
        'table1',
        EVALUATOR,
        [
          { port: 'models', from: 'unet.model', lineage: model },
          { port: 'test', from: 'camusx.dataset', lineage: generated },
        ],
        'error',
      ),
    ).toEqual([]);
  });
});

describe('selection patients behind the training data', () => {
  const inputs = [
    { port: 'train', from: 'camusx.dataset', lineage: { ...none, trained: [{ source: 'camus', split: 'validation' as const, ids: ['patient0007'] }] } },
    { port: 'val', from: 'camus.val', lineage: { ...none, held: [{ source: 'camus', split: 'validation' as const, ids: ['patient0007'] }] } },
  ];

  it('are found through what a generator learnt, with the severity the policy gives, or not at all', () => {
    expect(checkInputLineage('unet', TRAINER, inputs, 'warn')).toMatchObject([
      { reason: 'selection-subjects-learnt', severity: 'warning', selecting: 'camus.val', from: 'camusx.dataset', port: 'train' },
    ]);
    expect(checkInputLineage('unet', TRAINER, inputs, 'error')).toMatchObject([{ severity: 'error' }]);
    expect(checkInputLineage('unet', TRAINER, inputs, 'allow')).toEqual([]);
  });
});
