/** Where DejaVu Sans is, when installed: the font the figures are measured (./text-metrics.ts) and drawn (./render-png.ts) with. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const FONT_DIRS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu', '/usr/share/fonts/TTF'];

/** Paths of DejaVu Sans regular and bold, when installed. */
export function dejaVuFiles(): { regular: string; bold?: string } | undefined {
  for (const dir of FONT_DIRS) {
    const regular = join(dir, 'DejaVuSans.ttf');
    if (!existsSync(regular)) continue;
    const bold = join(dir, 'DejaVuSans-Bold.ttf');
    return existsSync(bold) ? { regular, bold } : { regular };
  }
  return undefined;
}
