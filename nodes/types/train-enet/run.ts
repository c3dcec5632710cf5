import type { NodeContext, NodeInputs } from '../../../engine';
import { ENet, ENET_DEFAULTS } from '../../segmentation/enet';
import type { SegmentationParams } from '../../segmentation/segmentation-node';
import { trainSegmentation } from '../../segmentation/segmentation-trainer';

/** train-enet: the shared segmentation trainer with ENet (Paszke et al. 2016). */
export async function run(ctx: NodeContext, inputs: NodeInputs, params: SegmentationParams): Promise<void> {
  return trainSegmentation(ctx, inputs, params, (args) => new ENet({ ...ENET_DEFAULTS, ...args }));
}
