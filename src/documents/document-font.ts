/**
 * Noto Sans JP, parsed once per process and shared by every document. Parsing the 5.5 MB TrueType
 * file (fontkit) and its layout tables was most of a rendering when pdfkit did it per document.
 *
 * fontkit keeps one glyph object per glyph id, remembering the code points it was first asked for,
 * and pdfkit writes those into the PDF's ToUnicode map. So that a document's bytes depend on its
 * own text only (not on what this process rendered before), `documentFont()` empties that glyph
 * cache before each document; the parsed tables (the expensive part) are kept.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);
const FONT_FILE = join(dirname(require.resolve('@expo-google-fonts/noto-sans-jp/package.json')), '400Regular', 'NotoSansJP_400Regular.ttf');

/** What pdfkit needs of a fontkit font (it takes any object with a `layout` function). */
export interface ParsedFont {
  layout: (...args: unknown[]) => unknown;
  postscriptName: string;
  /** fontkit's glyph cache (internal). */
  _glyphs: Record<number, unknown>;
}

let parsed: ParsedFont | undefined;

function parse(): ParsedFont {
  const font = fontkit.create(readFileSync(FONT_FILE)) as ParsedFont;
  if (typeof font.layout !== 'function' || typeof font._glyphs !== 'object' || font._glyphs === null) {
    throw new Error('fontkit font without layout() or glyph cache: check the fontkit version');
  }
  return font;
}

/** The shared parsed font, with an empty glyph cache: call once per document, right before rendering it synchronously. */
export function documentFont(): ParsedFont {
  parsed ??= parse();
  parsed._glyphs = {};
  return parsed;
}
