import { validationDice } from '../../nodes/segmentation/validation-dice';

/**
 * Mean Dice (over LV, myocardium, LA) between each mask of a stack and the next one: near 1 when the
 * masks are all alike (a VAE whose posterior collapsed draws one mean shape), lower for a varied set.
 * Compare a sample's value with the training set's.
 */
export function neighbourDice(masks: Uint8Array, count: number, size: number): number {
  if (count < 2) throw new Error(`neighbourDice: needs at least 2 masks, got ${count}`);
  const pixels = size * size;
  return validationDice(masks.subarray(0, (count - 1) * pixels), masks.subarray(pixels, count * pixels), pixels).dice_mean;
}
