/** The structures of a CAMUS mask (DESIGN.md §4 labels) as the training log names them. */
export const STRUCTURES = [
  { label: 1, name: 'lv' },
  { label: 2, name: 'myo' },
  { label: 3, name: 'la' },
] as const;

/**
 * Mean per-image Dice of each structure between predicted and reference label maps, for choosing
 * the best epoch during training (the evaluate node computes the paper's metrics). An image where
 * both maps lack a structure counts as a perfect 1 for it.
 *
 * @returns `dice_lv`, `dice_myo`, `dice_la` and their mean `dice_mean`
 */
export function validationDice(predicted: Uint8Array, reference: Uint8Array, pixelsPerImage: number): Record<string, number> {
  if (predicted.length !== reference.length || reference.length % pixelsPerImage !== 0) {
    throw new Error(`validationDice: ${predicted.length} predicted and ${reference.length} reference labels for images of ${pixelsPerImage} pixels`);
  }
  const images = reference.length / pixelsPerImage;
  const scores: Record<string, number> = {};
  for (const { label, name } of STRUCTURES) {
    let sum = 0;
    for (let i = 0; i < images; i++) {
      let both = 0;
      let total = 0;
      for (let p = i * pixelsPerImage; p < (i + 1) * pixelsPerImage; p++) {
        const inPredicted = predicted[p] === label;
        const inReference = reference[p] === label;
        if (inPredicted && inReference) both++;
        total += Number(inPredicted) + Number(inReference);
      }
      sum += total === 0 ? 1 : (2 * both) / total;
    }
    scores[`dice_${name}`] = sum / images;
  }
  scores.dice_mean = STRUCTURES.reduce((s, { name }) => s + scores[`dice_${name}`], 0) / STRUCTURES.length;
  return scores;
}
