import { existsSync } from 'fs';
import * as path from 'path';

/**
 * The font the PNG rasteriser draws chart text with. resvg draws no text at all without a font, and
 * fonts differ between machines, so we name one: DejaVu Sans (Debian's fonts-dejavu-core, also
 * installed on most Linux images), which makes PNGs byte-identical wherever it is present. Where it
 * is not (macOS, Windows), the system's fonts are loaded instead: text still renders, bytes may differ.
 * SVGs keep vega's generic `sans-serif`, so browsers use their own fonts.
 */

const DEJAVU_DIRS = [
  '/usr/share/fonts/truetype/dejavu', // Debian, Ubuntu
  '/usr/share/fonts/dejavu', // Fedora, Arch
  '/usr/share/fonts/TTF', // Arch (older)
  '/usr/local/share/fonts/dejavu', // FreeBSD
];

export const FONT_FAMILY = 'DejaVu Sans';

export interface ChartFonts {
  /** Font files to load; empty when falling back to the system's fonts. */
  files: string[];
  loadSystemFonts: boolean;
}

/** DejaVu Sans (regular and bold) from the first folder that has it; CARDIGAN_FONT_DIR comes first. */
export function chartFonts(env: NodeJS.ProcessEnv = process.env, searched: readonly string[] = DEJAVU_DIRS): ChartFonts {
  const dirs = env.CARDIGAN_FONT_DIR === undefined ? searched : [env.CARDIGAN_FONT_DIR, ...searched];
  for (const dir of dirs) {
    const regular = path.join(dir, 'DejaVuSans.ttf');
    if (!existsSync(regular)) continue;
    const bold = path.join(dir, 'DejaVuSans-Bold.ttf');
    return { files: existsSync(bold) ? [regular, bold] : [regular], loadSystemFonts: false };
  }
  return { files: [], loadSystemFonts: true };
}
