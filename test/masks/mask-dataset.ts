import type { InputArtifact } from '../../engine/node-api';
import type { LabelMask } from '../../nodes/data/label-mask';
import { datasetInput, testItem } from '../rig/dataset';

/** Writes same-sized masks as a mask-only dataset and returns it as the node input `<name>.masks`. */
export async function maskDatasetInput(masks: readonly LabelMask[], name: string): Promise<InputArtifact> {
  const [height, width] = [masks[0].height, masks[0].width];
  const data = new Uint8Array(masks.length * height * width);
  masks.forEach((mask, i) => data.set(mask.data, i * height * width));
  const items = masks.map((_, i) => testItem(`${name}${i}`, { nativeSize: [height, width], spacing: [0.3, 0.3], nativeSpacing: [0.3, 0.3] }));
  return datasetInput({ manifest: { format: 'cardigan-dataset/1', size: [height, width], hasImages: false, items }, masks: data }, name, 'masks');
}
