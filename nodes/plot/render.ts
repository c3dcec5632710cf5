import { Resvg } from '@resvg/resvg-js';
import { promises as fs } from 'fs';
import * as path from 'path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { chartFonts, FONT_FAMILY } from './fonts';

/**
 * Renders a vega-lite spec to SVG (vega's own renderer, headless: no canvas, no DOM) and to PNG
 * (resvg, a Rust rasteriser shipped prebuilt inside npm packages). Specs carry their data inline, so
 * nothing is fetched; the same spec gives the same bytes, which keeps cache entries stable.
 */

export interface RenderedChart {
  svg: string;
  png: Buffer;
}

export interface RenderOptions {
  /** PNG pixels per SVG pixel (2 keeps text crisp on high-density screens and in reports). */
  scale?: number;
}

export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { spec: vegaSpec } = compile(spec);
  const view = new View(parse(vegaSpec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string, options: RenderOptions = {}): Buffer {
  const fonts = chartFonts();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale ?? 2 },
    font: {
      loadSystemFonts: fonts.loadSystemFonts,
      fontFiles: fonts.files,
      ...(fonts.loadSystemFonts ? {} : { defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY }),
    },
    logLevel: 'off',
  });
  return resvg.render().asPng();
}

export async function renderChart(spec: TopLevelSpec, options: RenderOptions = {}): Promise<RenderedChart> {
  const svg = await renderSvg(spec);
  return { svg, png: svgToPng(svg, options) };
}

/** Writes `<name>.svg` and `<name>.png` into `dir`; returns the two paths. */
export async function writeChart(dir: string, name: string, spec: TopLevelSpec, options: RenderOptions = {}): Promise<[string, string]> {
  const { svg, png } = await renderChart(spec, options);
  const svgPath = path.join(dir, `${name}.svg`);
  const pngPath = path.join(dir, `${name}.png`);
  await fs.writeFile(svgPath, svg);
  await fs.writeFile(pngPath, png);
  return [svgPath, pngPath];
}
