import type { ImageQuality } from '../cfg';
import type { Random } from '../../data/random';

/**
 * How a view looks in B-mode: echogenicity of each tissue class and the acquisition's imperfections.
 * CAMUS grades each view Good, Medium or Poor; poorer views have brighter blood (less contrast), more
 * near-field clutter, a higher noise floor, more blur and wall dropout.
 */
export interface Look {
  /** Mean echo amplitude of blood, generic tissue, myocardium, pericardium and valve leaflets. */
  blood: number;
  tissue: number;
  myocardium: number;
  pericardium: number;
  leaflet: number;
  /** Log-normal spread of the slowly varying tissue texture. */
  textureSpread: number;
  /** Near-field (apical) clutter amplitude and its decay depth in mm. */
  clutter: number;
  clutterDepth: number;
  /** Electronic noise added before speckle, relative to tissue amplitude. */
  noiseFloor: number;
  /** Amplitude attenuation per mm of depth (after time-gain compensation). */
  attenuation: number;
  /** Displayed dynamic range in dB and overall gain. */
  dynamicRange: number;
  gain: number;
  /** [1 2 1] blur passes over the echogenicity map (resolution loss). */
  blurPasses: number;
  /** Echo kept in the dropout band of the lateral wall (1 = no dropout). */
  dropout: number;
}

// Amplitudes are relative to the pericardium (0 dB); the display maps dynamicRange dB below it to black.
const BASE: Record<ImageQuality, Look> = {
  Good: {
    blood: 0.004,
    tissue: 0.042,
    myocardium: 0.21,
    pericardium: 1,
    leaflet: 0.4,
    textureSpread: 0.45,
    clutter: 0.12,
    clutterDepth: 10,
    noiseFloor: 0.003,
    attenuation: 0.005,
    dynamicRange: 38,
    gain: 1,
    blurPasses: 2,
    dropout: 1,
  },
  Medium: {
    blood: 0.012,
    tissue: 0.04,
    myocardium: 0.17,
    pericardium: 0.85,
    leaflet: 0.3,
    textureSpread: 0.5,
    clutter: 0.22,
    clutterDepth: 15,
    noiseFloor: 0.009,
    attenuation: 0.006,
    dynamicRange: 36,
    gain: 0.95,
    blurPasses: 3,
    dropout: 0.5,
  },
  Poor: {
    blood: 0.03,
    tissue: 0.038,
    myocardium: 0.13,
    pericardium: 0.6,
    leaflet: 0.18,
    textureSpread: 0.55,
    clutter: 0.4,
    clutterDepth: 22,
    noiseFloor: 0.025,
    attenuation: 0.008,
    dynamicRange: 34,
    gain: 0.9,
    blurPasses: 4,
    dropout: 0.3,
  },
};

/** The look of one view: its quality class with a per-patient jitter of ±15 % on each amplitude. */
export function drawLook(random: Random, quality: ImageQuality): Look {
  const base = BASE[quality];
  const jitter = (value: number) => value * random.uniform(0.85, 1.15);
  return {
    ...base,
    blood: jitter(base.blood),
    tissue: jitter(base.tissue),
    myocardium: jitter(base.myocardium),
    pericardium: jitter(base.pericardium),
    clutter: jitter(base.clutter),
    noiseFloor: jitter(base.noiseFloor),
    attenuation: jitter(base.attenuation),
    gain: jitter(base.gain),
  };
}
