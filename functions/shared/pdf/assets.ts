/**
 * The assets every PDF of the back office uses (fonts, logo), read and parsed once per container.
 *
 * They come from the layer of PDF assets, found at `PDF_ASSETS_DIR`: `/opt/pdf-assets` on Lambda
 * (set by the CDK for the functions granted `pdf` only), `<repo>/layers/pdf-assets` offline (set by
 * the local runtime, hidden from the functions not granted `pdf`). Like any granted variable it is
 * checked on every call, so a function without the grant fails offline as it would in Lambda,
 * even when another function of the process loaded the assets first. One fontkit font is shared by every
 * document (parsing the TTF per document costs more than a second) and handed to
 * `new PDFDocument({ font })` so that pdfkit never loads its standard Helvetica (which does not
 * survive esbuild bundling). Measured with pdfkit 0.20.2: about 1.4 s per document when the TTF
 * path is given per document, under 0.1 s with one shared fontkit font.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { create as createFont, type Font } from 'fontkit';

export interface PdfAssets {
  readonly regular: Font;
  readonly bold: Font;
  readonly logo: Buffer;
  /** Width ÷ height of the logo. */
  readonly logoRatio: number;
}

let assets: PdfAssets | undefined;

/** Where the layer of PDF assets is: `PDF_ASSETS_DIR` (granted with `pdf`). */
export function pdfAssetsDir(): string {
  const fromEnv = process.env.PDF_ASSETS_DIR;
  if (fromEnv === undefined || fromEnv === '') throw new Error('PDF_ASSETS_DIR is not set');
  return fromEnv;
}

function loadFont(file: string): Font {
  const font = createFont(readFileSync(file));
  if (!('layout' in font)) throw new Error(`${file} is a font collection, not a font`);
  return font;
}

/** The fonts and the logo, loaded on first use and kept for the life of the container. */
export function loadPdfAssets(): PdfAssets {
  const dir = pdfAssetsDir();
  if (assets) return assets;
  try {
    const logo = readFileSync(path.join(dir, 'logo.png'));
    // PNG IHDR: width and height, big-endian, at bytes 16 and 20.
    const logoRatio = logo.readUInt32BE(16) / logo.readUInt32BE(20);
    assets = {
      regular: loadFont(path.join(dir, 'fonts', 'DejaVuSans.ttf')),
      bold: loadFont(path.join(dir, 'fonts', 'DejaVuSans-Bold.ttf')),
      logo,
      logoRatio,
    };
  } catch (cause) {
    throw new Error(`the PDF assets (fonts, logo) could not be read from ${dir} (PDF_ASSETS_DIR)`, { cause });
  }
  return assets;
}

/** pdfkit accepts a parsed fontkit font wherever it takes a font source; its types do not say so. */
export const asFontSource = (font: Font) => font as unknown as string;
