import { segmentImages } from '../../nodes/evaluate/segment';
import { MaskVae } from '../../nodes/mask-vae/mask-vae';
import { samplePrior } from '../../nodes/mask-vae/prior-samples';
import { GOLDEN_NETWORKS } from '../models/golden/steps';
import { syntheticHearts } from '../models/synthetic-hearts';
import { describeWith } from '../rig/tools/presence';
import { onWasmAndWebgpu } from './wasm-and-webgpu';

/**
 * What sample-masks and evaluate compute, on webgpu (SwiftShader standing in for a GPU) against
 * wasm: the mask VAE's prior samples (arg-max of decoded codes) and a U-Net's and an ENet's labels
 * at the model's size and resized to another grid (evaluate's two grids), from untrained seeded
 * networks in evaluation mode. Labels are arg-maxes, so they may differ only where two classes tie
 * to float32 rounding: at most 1 pixel in 1000.
 */

interface Labels {
  prior: Uint8Array;
  atModel: Uint8Array[];
  atTarget: Uint8Array[];
}

async function labels(): Promise<Labels> {
  const vae = new MaskVae({ classes: 4, size: 32, blocks: 1, initChannels: 4, latent: 8, seed: 5 });
  const prior = await samplePrior(vae, 6, 11, 4);
  vae.dispose();
  const hearts = syntheticHearts(3, 32, 2);
  const images = { data: hearts.images, count: 3, size: [32, 32] as [number, number] };
  const atModel: Uint8Array[] = [];
  const atTarget: Uint8Array[] = [];
  for (const build of [GOLDEN_NETWORKS.unet, GOLDEN_NETWORKS.enet]) {
    const model = build();
    for (const s of segmentImages(
      model,
      images,
      [
        [32, 32],
        [45, 38],
        [64, 64],
      ],
      2,
    )) {
      atModel.push(s.atModel);
      atTarget.push(s.atTarget);
    }
    model.dispose();
  }
  return { prior, atModel, atTarget };
}

function differing(a: Uint8Array[], b: Uint8Array[]): number {
  let count = 0;
  a.forEach((labels, i) => labels.forEach((label, p) => (count += label === b[i][p] ? 0 : 1)));
  return count / a.reduce((sum, labels) => sum + labels.length, 0);
}

describeWith('vulkan')('sampling and segmenting on webgpu (SwiftShader) as on wasm', () => {
  const both = onWasmAndWebgpu(labels);

  it("samples wasm's masks from the mask VAE's prior", () => {
    expect(differing([both.webgpu.prior], [both.wasm.prior])).toBeLessThanOrEqual(1e-3);
    // Untrained but not degenerate: the samples use more than one class.
    expect(new Set(both.wasm.prior).size).toBeGreaterThan(1);
  });

  it("segments as wasm does, at the model's size and resized to each image's grid", () => {
    expect(both.webgpu.atTarget.map((l) => l.length)).toEqual(both.wasm.atTarget.map((l) => l.length));
    expect(both.wasm.atTarget[1].length).toBe(45 * 38);
    expect(differing(both.webgpu.atModel, both.wasm.atModel)).toBeLessThanOrEqual(1e-3);
    expect(differing(both.webgpu.atTarget, both.wasm.atTarget)).toBeLessThanOrEqual(1e-3);
    expect(new Set(both.wasm.atModel.flatMap((l) => [...l])).size).toBeGreaterThan(1);
  });
});
