/**
 * The part of fontkit (pdfkit's font engine, github.com/foliojs/fontkit) that document-font.ts
 * uses: parsing a font file once. fontkit ships no types; the returned font is handed to pdfkit,
 * which reads it itself, so it stays opaque here (DESIGN "Own your ports").
 */
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): unknown;
}
