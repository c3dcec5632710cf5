import * as path from 'path';

/** experiments/quickstart.yaml, and the `--set` options that shrink it to run every node type in well under a minute. */
export const QUICKSTART = path.join(__dirname, '..', '..', 'experiments', 'quickstart.yaml');

// Small enough to run in CI, large enough that every node has work to do: the mask VAE is trained
// just long enough for some of its samples to pass the anatomical filter (else generate has no masks).
export const TINY = [
  'camus.params.source.synthetic.patients=12',
  'camus.params.size=32',
  'mask-vae.params.size=32',
  'mask-vae.params.epochs=30',
  'mask-vae.params.initChannels=8',
  'mask-vae.params.batchSize=8',
  'mask-vae.params.lr=0.003',
  'sampled.params.count=30',
  'spade.params.ngf=4',
  'spade.params.ndf=4',
  'spade.params.hidden=16',
  'spade.params.epochs=1',
  'spade.params.decayFrom=1',
  'unet.params.epochs=1',
  'unet.params.initChannels=4',
  'enet.params.epochs=1',
  'enet.params.initChannels=4',
  'gap.params.downsample=8',
  'gap.params.sample=30',
  'gap.params.nEpochs=50',
  // Metrics on the stored 32×32 grid: resampling to each image's native grid is most of evaluate's time.
  'table1.params.resolution=model',
].flatMap((set) => ['--set', set]);

/** The paper's choice the run says it keeps (SPADE on train+val), the one thing it prints on stderr. */
export const VALIDATION_WARNING = `${path.join(__dirname, '..', '..', 'experiments', 'paper.yaml')}:47:21 warning: the validation patients of camus (camus.trainval) reach the training data of 4 nodes (unet[train=camusx], enet[train=camusx], unet[train=camuspp], enet[train=camuspp]), whose epoch camus.val also selects: camus.trainval → spade.model → camusx.dataset → unet[train=camusx] (train)
  47 |     inputs: { data: camus.trainval, validation: camus.val }
     |                     ^~~~~~~~~~~~~~
     = hint: the model is then chosen on patients it has seen, which flatters it; train the branch on the training split only, or keep it on purpose with \`leakage: { validation: allow }\` (\`error\` refuses such a graph)
`;
