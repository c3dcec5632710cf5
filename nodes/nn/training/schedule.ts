/**
 * Learning-rate schedules, evaluated once per epoch. `linear-decay` is SPADE's niter/niter_decay
 * scheme with niter = from and niter_decay = epochs − from: for 0-based epoch e,
 * lr(e) = base · min(1, (epochs − e) / (epochs − from)), so the rate starts falling after epoch
 * `from` (1-based) and the last epoch runs at base / (epochs − from).
 */
export type LrSchedule = { kind: 'constant' } | { kind: 'linear-decay'; from: number };

/** Learning rate of 0-based `epoch` out of `epochs`. */
export function learningRateAt(base: number, schedule: LrSchedule, epoch: number, epochs: number): number {
  switch (schedule.kind) {
    case 'constant':
      return base;
    case 'linear-decay': {
      const from = Math.min(Math.max(schedule.from, 0), epochs - 1);
      return base * Math.min(1, (epochs - epoch) / (epochs - from));
    }
  }
}
