import { extentInFrame } from './extent';
import { EPICARDIUM, FOREGROUND, type LabelMask } from '../data/label-mask';
import { lvLongAxis } from './long-axis';
import { poseFrame } from './pose';
import { labelSums, regionMoments } from './moments';
import { chain, invert, rotation, scaling, translation, warpAffine, type Affine } from './warp';

/**
 * The registered space of the mask VAE, with the steps and conventions of Painchaud et al.'s CAMUS
 * registration (vital's CamusRegisteringTransformer: shift, rotation, crop): centre the epicardium,
 * rotate the LV long axis (long-axis.ts) to vertical with the apex up, crop a square box around every
 * structure (epicardium and LA) enlarged by a margin on each side, resize to size × size. Unlike vital, the
 * three steps are composed into one affine map and the mask is sampled once, so nothing is clipped or
 * interpolated in between; the crop box is computed from the rotated pixel positions directly.
 */

/** Square crop box in the centred, rotated frame: pixels, origin at the epicardium centroid, apex up. */
export interface CropBox {
  top: number;
  left: number;
  side: number;
}

/** Everything needed to map a mask into the registered space and back; plain JSON. */
export interface RegistrationParams {
  /** [rows, cols] of the mask before registration. */
  originalSize: [number, number];
  /** Epicardium centroid minus the image centre, pixels [row, col] (vital's `shift`). */
  shift: [number, number];
  /** LV long-axis angle before registration: degrees clockwise from up (long-axis.ts); registering rotates by −angle. */
  angle: number;
  cropBox: CropBox;
  /** Side of the registered square. */
  size: number;
}

export interface RegistrationOptions {
  /** Side of the registered square in pixels. */
  size: number;
  /** Fraction of the structures' extent added on each side of the crop box (vital: 0.05). */
  margin?: number;
}

export const DEFAULT_MARGIN = 0.05;

export function registrationParams(mask: LabelMask, options: RegistrationOptions): RegistrationParams {
  const margin = options.margin ?? DEFAULT_MARGIN;
  const sums = labelSums(mask);
  const epicardium = regionMoments(sums, EPICARDIUM);
  if (epicardium.area === 0) throw new Error('registration: the mask has no LV or myocardium to centre on');
  const centre = epicardium.centroid;
  // vital keeps an unrotated mask when there is no LV to orient.
  const angle = lvLongAxis(sums)?.angle ?? 0;
  const toFrame = poseFrame(centre, angle);

  const { top, bottom, left, right } = extentInFrame(mask, FOREGROUND, toFrame);
  // Pixel centres span extent − 1; the half pixel on each side restores the structures' full extent.
  const height = bottom - top + 1;
  const width = right - left + 1;
  const side = Math.max(height, width) * (1 + 2 * margin);
  return {
    originalSize: [mask.height, mask.width],
    shift: [centre[0] - mask.height / 2, centre[1] - mask.width / 2],
    angle,
    cropBox: { top: (top + bottom - side) / 2, left: (left + right - side) / 2, side },
    size: options.size,
  };
}

/** The forward map original → registered (edge coordinates). */
export function registrationTransform(params: RegistrationParams): Affine {
  const [height, width] = params.originalSize;
  const centre = [height / 2 + params.shift[0], width / 2 + params.shift[1]];
  return chain(
    translation(-centre[0], -centre[1]),
    rotation(-params.angle),
    translation(-params.cropBox.top, -params.cropBox.left),
    scaling(params.size / params.cropBox.side),
  );
}

export function register(mask: LabelMask, params: RegistrationParams): LabelMask {
  const [height, width] = params.originalSize;
  if (mask.height !== height || mask.width !== width) {
    throw new Error(`registration: the mask is ${mask.height}×${mask.width} but its parameters were computed for ${height}×${width}`);
  }
  return warpAffine(mask, params.size, params.size, registrationTransform(params));
}

/** Maps a registered mask (e.g. a VAE reconstruction) back into the original image geometry. */
export function unregister(registered: LabelMask, params: RegistrationParams): LabelMask {
  if (registered.height !== params.size || registered.width !== params.size) {
    throw new Error(`registration: the registered mask is ${registered.height}×${registered.width} but the parameters say ${params.size}×${params.size}`);
  }
  const [height, width] = params.originalSize;
  // The original pixel p reads registered pixel F(p): warping with the inverse of F as the forward map.
  const forward = registrationTransform(params);
  return warpAffine(registered, height, width, invert(forward));
}

/** Computes the parameters and applies them. */
export function registerMask(mask: LabelMask, options: RegistrationOptions): { params: RegistrationParams; registered: LabelMask } {
  const params = registrationParams(mask, options);
  return { params, registered: register(mask, params) };
}
