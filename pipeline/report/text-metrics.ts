/**
 * Text widths for headless Vega. Without a canvas, vega guesses every character as 0.8 em wide, which
 * leaves wide margins and cuts titles short. When DejaVu Sans (the font the PNGs are drawn with) is
 * installed, widths come from its advance widths instead (read from the TrueType hmtx and cmap
 * tables), so layout matches the drawn text. Deterministic for a given font file.
 */
import { readFileSync } from 'node:fs';
import * as vega from 'vega';
import { dejaVuFiles } from './fonts.ts';

/** Advance widths of one font, in em. */
export interface FontWidths {
  width(codePoint: number): number;
}

/** Advance widths from a TrueType file: head.unitsPerEm, hhea.numberOfHMetrics, hmtx, cmap format 4. */
export function readFontWidths(path: string): FontWidths {
  const data = readFileSync(path);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const tables = new Map<string, number>();
  const count = view.getUint16(4);
  for (let i = 0; i < count; i++) {
    const record = 12 + 16 * i;
    tables.set(data.toString('latin1', record, record + 4), view.getUint32(record + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`${path}: no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table('head') + 18);
  const metrics = view.getUint16(table('hhea') + 34);
  const hmtx = table('hmtx');
  const advance = (glyph: number): number => view.getUint16(hmtx + 4 * Math.min(glyph, metrics - 1));

  const cmap = table('cmap');
  let format4: number | undefined;
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const record = cmap + 4 + 8 * i;
    const platform = view.getUint16(record);
    const encoding = view.getUint16(record + 2);
    const subtable = cmap + view.getUint32(record + 4);
    if (view.getUint16(subtable) === 4 && ((platform === 3 && encoding === 1) || platform === 0)) {
      format4 = subtable;
      break;
    }
  }
  if (format4 === undefined) throw new Error(`${path}: no Unicode BMP cmap`);
  const segments = view.getUint16(format4 + 6) / 2;
  const ends = format4 + 14;
  const starts = ends + 2 * segments + 2;
  const deltas = starts + 2 * segments;
  const rangeOffsets = deltas + 2 * segments;
  const glyphOf = (code: number): number => {
    for (let s = 0; s < segments; s++) {
      if (code > view.getUint16(ends + 2 * s)) continue;
      const start = view.getUint16(starts + 2 * s);
      if (code < start) return 0;
      const delta = view.getInt16(deltas + 2 * s);
      const rangeOffset = view.getUint16(rangeOffsets + 2 * s);
      if (rangeOffset === 0) return (code + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsets + 2 * s + rangeOffset + 2 * (code - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };
  const cache = new Map<number, number>();
  return {
    width(codePoint) {
      let width = cache.get(codePoint);
      if (width === undefined) {
        width = codePoint > 0xffff ? advance(0) / unitsPerEm : advance(glyphOf(codePoint)) / unitsPerEm;
        cache.set(codePoint, width);
      }
      return width;
    },
  };
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

let installed = false;

/** Make vega measure text with DejaVu Sans widths (once per process); false when the font is not installed. */
export function useDejaVuMetrics(): boolean {
  if (installed) return true;
  const files = dejaVuFiles();
  if (!files) return false;
  const regular = readFontWidths(files.regular);
  const bold = files.bold ? readFontWidths(files.bold) : regular;
  const metrics = (vega as unknown as { textMetrics: unknown }).textMetrics as { width: (item: TextItem, text: unknown) => number };
  metrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const string = text == null ? '' : String(text).trim();
    const weight = item.fontWeight;
    const font = weight === 'bold' || weight === 'bolder' || (typeof weight === 'number' && weight >= 600) || (typeof weight === 'string' && Number(weight) >= 600) ? bold : regular;
    let em = 0;
    for (const char of string) em += font.width(char.codePointAt(0)!);
    // Vega expects the width of the text as drawn, i.e. cut to `limit`; clamping keeps its own
    // truncation search (which calls this on prefixes) correct.
    const limit = Number(item.limit) || 0;
    return limit > 0 ? Math.min(em * size, limit) : em * size;
  };
  installed = true;
  return true;
}
