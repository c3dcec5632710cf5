import { PNG } from 'pngjs';

/**
 * Stop-gap picture of overlaid histograms, one panel per statistic, until the shared chart module
 * (vega-lite, nodes/plot/) replaces it: the only file here that draws. Without a font it has no text; the
 * caller's Markdown names the panels (row by row) and the colours.
 */
export interface HistogramSeries {
  values: readonly number[];
  colour: [number, number, number];
}

export interface HistogramPanel {
  title: string;
  series: HistogramSeries[];
}

export interface HistogramOptions {
  bins: number;
  columns: number;
  panelWidth: number;
  panelHeight: number;
}

const PADDING = 8;
const FILL_OPACITY = 0.3;

export function renderHistogramsPng(panels: readonly HistogramPanel[], options: HistogramOptions): Buffer {
  const rows = Math.ceil(panels.length / options.columns);
  const canvas: Canvas = { width: options.columns * options.panelWidth, height: rows * options.panelHeight, rgba: new Uint8Array(0) };
  canvas.rgba = new Uint8Array(canvas.width * canvas.height * 4).fill(255);
  panels.forEach((panel, index) => {
    const left = (index % options.columns) * options.panelWidth + PADDING;
    const top = Math.floor(index / options.columns) * options.panelHeight + PADDING;
    drawPanel(canvas, panel, options.bins, { left, top, width: options.panelWidth - 2 * PADDING, height: options.panelHeight - 2 * PADDING });
  });
  const png = new PNG({ width: canvas.width, height: canvas.height });
  png.data = Buffer.from(canvas.rgba.buffer);
  // pngjs's adaptive filter choice costs over a second per figure; flat charts compress well without it.
  return PNG.sync.write(png, { filterType: 0 });
}

interface Canvas {
  width: number;
  height: number;
  rgba: Uint8Array;
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

function drawPanel(canvas: Canvas, panel: HistogramPanel, bins: number, box: Box): void {
  const finite = panel.series.map((s) => s.values.filter(Number.isFinite));
  const all = finite.flat();
  if (all.length === 0) return;
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (hi - lo < 1e-12) [lo, hi] = [lo - 0.5, hi + 0.5];
  const densities = finite.map((values) => {
    const counts = new Array<number>(bins).fill(0);
    for (const value of values) counts[Math.min(bins - 1, Math.floor(((value - lo) / (hi - lo)) * bins))]++;
    return counts.map((count) => count / Math.max(1, values.length));
  });
  const peak = Math.max(...densities.flat(), 1e-12);
  const binWidth = box.width / bins;
  densities.forEach((density, s) => {
    const colour = panel.series[s].colour;
    density.forEach((d, bin) => {
      const barHeight = Math.round((d / peak) * box.height);
      if (barHeight === 0) return;
      const x0 = Math.round(box.left + bin * binWidth);
      const x1 = Math.round(box.left + (bin + 1) * binWidth);
      const y0 = box.top + box.height - barHeight;
      for (let y = y0; y < box.top + box.height; y++) for (let x = x0; x < x1; x++) blend(canvas, x, y, colour, FILL_OPACITY);
      for (let x = x0; x < x1; x++) blend(canvas, x, y0, colour, 1);
    });
  });
  for (let x = box.left; x < box.left + box.width; x++) blend(canvas, x, box.top + box.height, [0, 0, 0], 1);
}

function blend(canvas: Canvas, x: number, y: number, colour: [number, number, number], opacity: number): void {
  if (x < 0 || y < 0 || x >= canvas.width || y >= canvas.height) return;
  const i = (y * canvas.width + x) * 4;
  for (let k = 0; k < 3; k++) canvas.rgba[i + k] = Math.round(canvas.rgba[i + k] * (1 - opacity) + colour[k] * opacity);
}
