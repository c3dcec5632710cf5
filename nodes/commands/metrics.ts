import { type CommandSpec, defineCommand, parseCommandArgs, type ValueType } from '../../engine/cli';
import { UsageError, UserError } from '../../engine';
import { readLabelMap, type SpacedMask } from '../masks/mask-files';
import { segmentationMetrics, STRUCTURE_NAMES, type SegmentationMetrics } from '../metrics/segmentation-metrics';
import { VIEW_PHASES, type ViewPhase } from '../clinical/patient-indices';
import { computeClinicalReport, formatClinical, type ClinicalFiles } from './metrics-clinical';

/**
 * `cardigan metrics <pred> <gt>`: Dice, HD and ASSD for one pair of mask files, with the same code the
 * evaluate node uses, so anyone can recompute a cell of Table 1 from two files. With the four
 * `--2ch-ed` … `--4ch-es` files of one patient instead: its EDV, ESV and EF (metrics-clinical.ts).
 */

/** Two positive numbers `r,c` (mm). */
const SPACING: ValueType<[number, number]> = {
  expected: 'two positive numbers in mm as row,col (e.g. --spacing 0.154,0.308)',
  parse(text) {
    const parts = text.split(',').map((part) => part.trim());
    const numbers = parts.map(Number);
    if (parts.length !== 2 || parts.some((part) => part === '') || numbers.some((n) => !Number.isFinite(n) || n <= 0)) return undefined;
    return [numbers[0], numbers[1]];
  },
};

const OPTIONS = {
  spacing: {
    type: 'string',
    value: 'r,c',
    as: SPACING,
    description:
      'pixel spacing in mm as row,col (e.g. 0.154,0.308); required for .npy and .png, which do not record it; optional for .mhd/.mha and .nii/.nii.gz, whose header gives it (this overrides it)',
  },
  'spacing-2ch': {
    type: 'string',
    value: 'r,c',
    as: SPACING,
    description: 'clinical indices: the spacing of the two 2CH files (CAMUS views differ in spacing); overrides --spacing',
  },
  'spacing-4ch': { type: 'string', value: 'r,c', as: SPACING, description: 'clinical indices: the spacing of the two 4CH files; overrides --spacing' },
  '2ch-ed': { type: 'string', value: 'FILE', description: "clinical indices: one patient's 2CH end-diastolic mask (give all four instead of <pred> <gt>)" },
  '2ch-es': { type: 'string', value: 'FILE', description: 'clinical indices: the 2CH end-systolic mask' },
  '4ch-ed': { type: 'string', value: 'FILE', description: 'clinical indices: the 4CH end-diastolic mask' },
  '4ch-es': { type: 'string', value: 'FILE', description: 'clinical indices: the 4CH end-systolic mask' },
  json: {
    type: 'boolean',
    description:
      'print {"endo": {"dice", "hd", "assd", "hd95", "mad"}, "epi": {…}, "la": {…}, "spacing": [r, c]}; a distance is null when either mask of that structure is empty. With the four view files: {"edv", "esv", "ef", "discs", "views": {"2CH_ED": {file, spacing, length, diameters}, …}}',
  },
} as const;

const VIEW_OPTIONS: Record<ViewPhase, '2ch-ed' | '2ch-es' | '4ch-ed' | '4ch-es'> = {
  '2CH_ED': '2ch-ed',
  '2CH_ES': '2ch-es',
  '4CH_ED': '4ch-ed',
  '4CH_ES': '4ch-es',
};

const SPEC = {
  command: 'metrics',
  summary: 'Dice, HD and ASSD (mm) of a predicted mask file against a ground-truth one; EDV, ESV, EF from one patient’s four masks',
  positionals: [
    { name: 'pred', description: 'the predicted label map', optional: true },
    { name: 'gt', description: 'the ground-truth label map', optional: true },
  ],
  options: OPTIONS,
  details: `Dice, Hausdorff distance (mm) and average symmetric surface distance (mm) of a predicted label map
against its ground truth, for endo (LV), epi (LV ∪ myocardium) and LA, defined as MedPy's dc/hd/assd.

With --2ch-ed, --2ch-es, --4ch-ed and --4ch-es (one patient's four masks) instead of <pred> <gt>: the
LV end-diastolic and end-systolic volumes (mL) by Simpson's biplane method of discs (20 discs; long
axis from the middle of the mitral base to the apex) and the ejection fraction (%), as the evaluate
node's clinical.csv has them.

Files: .npy (2-D, any integer dtype), .png (greyscale, or palette indices), .mhd/.mha or .nii/.nii.gz
(2-D; the spacing comes from the header), labels 0 background, 1 LV, 2 myocardium, 3 LA.`,
} satisfies CommandSpec<typeof OPTIONS>;

export interface MetricsReport extends SegmentationMetrics {
  spacing: [number, number];
}

export const command = defineCommand(SPEC, async (args) => {
  const { positionals, values } = parseCommandArgs(SPEC, args);
  const given = VIEW_PHASES.filter((key) => values[VIEW_OPTIONS[key]] !== undefined);
  if (given.length > 0) {
    if (positionals.length > 0) throw new UsageError('metrics: give either <pred> <gt> or the four --2ch-ed, --2ch-es, --4ch-ed, --4ch-es files, not both');
    const absent = VIEW_PHASES.filter((key) => values[VIEW_OPTIONS[key]] === undefined);
    if (absent.length > 0)
      throw new UsageError(
        `metrics: the clinical indices need all four masks of the patient; missing ${absent.map((key) => `--${VIEW_OPTIONS[key]}`).join(', ')}`,
      );
    const files = {} as Record<ViewPhase, ClinicalFiles>;
    for (const key of VIEW_PHASES) {
      const file = values[VIEW_OPTIONS[key]] as string;
      files[key] = { file, mask: await readLabelMap(file) };
    }
    const report = computeClinicalReport(files, { all: values.spacing, '2CH': values['spacing-2ch'], '4CH': values['spacing-4ch'] });
    process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : formatClinical(report));
    return 0;
  }
  if (positionals.length < 2) {
    const missing = SPEC.positionals[positionals.length];
    throw new UsageError(
      `metrics: missing <${missing.name}> (${missing.description}); or, for the clinical indices, give one patient's four masks with --2ch-ed, --2ch-es, --4ch-ed, --4ch-es`,
    );
  }
  const options: MetricsOptions = { pred: positionals[0], gt: positionals[1], spacing: values.spacing, json: values.json };
  const [pred, gt] = await Promise.all([readLabelMap(options.pred), readLabelMap(options.gt)]);
  const report = computeReport(pred, gt, options);
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatTable(report));
  return 0;
});

interface MetricsOptions {
  pred: string;
  gt: string;
  spacing?: [number, number];
  json: boolean;
}

export function computeReport(pred: SpacedMask, gt: SpacedMask, options: Pick<MetricsOptions, 'pred' | 'gt' | 'spacing'>): MetricsReport {
  if (pred.height !== gt.height || pred.width !== gt.width) {
    throw new UserError(
      `${options.pred} is ${pred.height}×${pred.width} but ${options.gt} is ${gt.height}×${gt.width}; resample the prediction to the ground truth's size first`,
    );
  }
  const spacing = options.spacing ?? headerSpacing(pred, gt, options);
  return { ...segmentationMetrics(pred.data, gt.data, gt.height, gt.width, spacing), spacing };
}

function headerSpacing(pred: SpacedMask, gt: SpacedMask, options: Pick<MetricsOptions, 'pred' | 'gt'>): [number, number] {
  const [fromPred, fromGt] = [pred.spacing, gt.spacing];
  const spacing = fromGt ?? fromPred;
  if (spacing === undefined) {
    throw new UsageError(`metrics: ${options.gt} does not record its pixel spacing; give it with --spacing r,c in mm (e.g. --spacing 0.154,0.308)`);
  }
  if (fromPred !== undefined && fromGt !== undefined && fromPred.some((s, i) => Math.abs(s - fromGt[i]) > 1e-6 * Math.abs(s))) {
    throw new UserError(`${options.pred} has spacing [${fromPred.join(', ')}] mm but ${options.gt} has [${fromGt.join(', ')}]; pass --spacing to choose one`);
  }
  return spacing;
}

function formatTable(report: MetricsReport): string {
  const cell = (value: number, digits: number): string => (Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
  const lines = [`structure  dice    hd (mm)  assd (mm)`];
  for (const name of STRUCTURE_NAMES) {
    const { dice, hd, assd } = report[name];
    lines.push(`${name.padEnd(9)}  ${cell(dice, 4).padEnd(6)}  ${cell(hd, 3).padStart(7)}  ${cell(assd, 3).padStart(9)}`);
  }
  lines.push(`spacing [${report.spacing.join(', ')}] mm (row, col)`);
  if (STRUCTURE_NAMES.some((name) => Number.isNaN(report[name].hd))) lines.push('n/a: that structure is empty in one of the masks');
  return lines.join('\n') + '\n';
}
