import { performance } from 'perf_hooks';
import { segmentationMetrics } from '../../nodes/metrics/segmentation-metrics';
import { isAnatomicallyValid } from '../../nodes/anatomy/validity';

/**
 * Speed of the per-image metrics: segmentationMetrics (target: a few ms at 256×256, well under 100 ms at
 * native ~800×600) and the anatomical validity check, on heart-like label maps whose prediction is a
 * shifted, distorted copy of the ground truth (so the surfaces differ and every structure is present).
 *
 * Run: npx tsc -p tsconfig.json --noEmit false --outDir dist && node dist/test/bench/metrics.js
 */

function ellipse(mask: Uint8Array, rows: number, cols: number, cy: number, cx: number, ry: number, rx: number, value: number): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (((r - cy) / ry) ** 2 + ((c - cx) / rx) ** 2 <= 1) mask[r * cols + c] = value;
    }
  }
}

/** LA, then myocardium, then LV painted over it, scaled to the image; `wobble` distorts the prediction. */
function heart(rows: number, cols: number, wobble: number): Uint8Array {
  const mask = new Uint8Array(rows * cols);
  const s = (f: number): number => f * (1 + wobble);
  ellipse(mask, rows, cols, rows * 0.72, cols * 0.5, rows * s(0.12), cols * 0.14, 3);
  ellipse(mask, rows, cols, rows * 0.45, cols * (0.5 + wobble / 4), rows * 0.3, cols * s(0.17), 2);
  ellipse(mask, rows, cols, rows * 0.47, cols * (0.5 + wobble / 4), rows * s(0.25), cols * 0.12, 1);
  return mask;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Wall-clock median and p90 per call, and CPU time per call (steadier when other processes share the cores). */
function time(label: string, repeats: number, run: () => void): void {
  for (let i = 0; i < 3; i++) run();
  const samples: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuStart);
  const cpuPerCall = (cpu.user + cpu.system) / 1000 / repeats;
  const sorted = [...samples].sort((a, b) => a - b);
  console.log(
    `${label.padEnd(36)} wall median ${median(samples).toFixed(2)} ms, p90 ${sorted[Math.floor(sorted.length * 0.9)].toFixed(2)} ms; cpu ${cpuPerCall.toFixed(2)} ms/call (${repeats} runs)`,
  );
}

function main(): void {
  for (const [rows, cols, repeats] of [
    [256, 256, 200],
    [843, 630, 50],
  ] as const) {
    const gt = heart(rows, cols, 0);
    const pred = heart(rows, cols, 0.06);
    time(`segmentationMetrics ${rows}×${cols}`, repeats, () => segmentationMetrics(pred, gt, rows, cols, [0.154, 0.308]));
    time(`isAnatomicallyValid ${rows}×${cols}`, repeats, () => isAnatomicallyValid(gt, rows, cols));
  }
}

if (require.main === module) main();
