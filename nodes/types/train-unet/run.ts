import type { NodeContext, NodeInputs } from '../../../engine';
import type { SegmentationParams } from '../../segmentation/segmentation-node';
import { trainSegmentation } from '../../segmentation/segmentation-trainer';
import { UNet } from '../../segmentation/unet';

/** train-unet: the shared segmentation trainer with the CAMUS U-Net. */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: SegmentationParams): Promise<void> {
  return trainSegmentation(ctx, inputs, params, (args) => new UNet(args));
}
