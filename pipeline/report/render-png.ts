/**
 * PNGs of the report's figures, made from their SVGs only when asked for (`make figures`, and by
 * `make publish` for a published version): `make reproduce` and `make report` write SVG alone, which
 * both report.md and report.html use. One figure at a time (rasterizing them all at once was slower
 * on two cores); resvg is loaded on first use, so no other command pays for it.
 */
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files.ts';
import { FIGURES_DIR } from './layout.ts';
import { dejaVuFiles } from './fonts.ts';

type ResvgModule = typeof import('@resvg/resvg-js');

let resvg: ResvgModule | undefined;
let fontOptions: { fontFiles: string[]; loadSystemFonts: boolean; defaultFontFamily: string; sansSerifFamily: string } | undefined;

function resvgModule(): ResvgModule {
  resvg ??= createRequire(import.meta.url)('@resvg/resvg-js') as ResvgModule;
  return resvg;
}

/**
 * DejaVu Sans when the system has it (the font the layout was measured with), else the system fonts.
 * Looked up once; resvg-js 2.6 takes fonts as file paths only, so it still parses them per figure.
 */
function fonts() {
  if (fontOptions) return fontOptions;
  const files = dejaVuFiles();
  const fontFiles = files ? [files.regular, ...(files.bold ? [files.bold] : [])] : [];
  fontOptions = { fontFiles, loadSystemFonts: fontFiles.length === 0, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' };
  return fontOptions;
}

/** PNG of an SVG at twice its size (sharp on high-density screens). */
export function svgToPng(svg: string, scale = 2): Uint8Array {
  const { Resvg } = resvgModule();
  return new Resvg(svg, { fitTo: { mode: 'zoom', value: scale }, font: fonts(), background: 'white' }).render().asPng();
}

/**
 * Write figures/<id>.png beside every figures/<id>.svg of a rendered report folder (replacing what
 * is there when `all`, else only the missing ones); returns the paths written, relative to
 * reportDir, sorted. PNGs whose SVG is gone are left to the report stage, which clears figures/.
 */
export function rasterizeFigures(reportDir: string, options: { all?: boolean; log?: (line: string) => void } = {}): string[] {
  const dir = join(reportDir, FIGURES_DIR);
  if (!existsSync(dir)) return [];
  const svgs = readdirSync(dir)
    .filter((name) => name.endsWith('.svg'))
    .sort();
  const written: string[] = [];
  for (const [i, name] of svgs.entries()) {
    const png = name.replace(/\.svg$/, '.png');
    if (!options.all && existsSync(join(dir, png))) continue;
    writeFileAtomic(join(dir, png), svgToPng(readFileSync(join(dir, name), 'utf8')));
    written.push(join(FIGURES_DIR, png));
    if ((i + 1) % 20 === 0) options.log?.(`figures: ${i + 1} of ${svgs.length}`);
  }
  options.log?.(`figures: wrote ${written.length} PNGs to ${dir}`);
  return written;
}
