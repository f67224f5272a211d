/**
 * A PDF read back as a client's software would: text extracted by poppler's `pdftotext`
 * (`-layout` for the page as it looks, `-raw` for content order, which keeps a wrapped description
 * next to its amounts), fonts by `pdffonts`, pages by `pdfinfo`. Needs Debian's poppler-utils.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** One space for any run of white space, the no-break ones included (U+00A0, U+202F). */
export const flat = (text: string) => text.replace(/[\s\u00a0\u202f]+/g, ' ').trim();

export interface Read {
  readonly pdf: Uint8Array;
  /** `pdftotext -layout`, page by page (split on form feeds). */
  readonly pages: string[];
  /** All pages, `-layout`, white space flattened. */
  readonly layout: string;
  /** All pages, `-raw` (content order), white space flattened, a line ending in "-" joined to the next. */
  readonly raw: string;
  readonly pageCount: number;
  readonly fonts: string;
  readonly info: string;
  /** Words drawn over one another (`pdftotext -bbox`, read when asked), by page: text run over the footer or the running header. */
  overlaps(): { page: number; words: [string, string] }[];
}

interface Word {
  readonly text: string;
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

/** Pairs of words of a page whose boxes overlap by more than a point each way (glyph boxes of one line only touch). */
function overlappingWords(bbox: string): { page: number; words: [string, string] }[] {
  const found: { page: number; words: [string, string] }[] = [];
  bbox
    .split('<page ')
    .slice(1)
    .forEach((page, index) => {
      const words: Word[] = [
        ...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g),
      ].map((m) => ({
        x0: Number(m[1]),
        y0: Number(m[2]),
        x1: Number(m[3]),
        y1: Number(m[4]),
        text: m[5] ?? '',
      }));
      for (let i = 0; i < words.length; i++)
        for (let j = i + 1; j < words.length; j++) {
          const a = words[i]!;
          const b = words[j]!;
          const dx = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
          const dy = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
          if (dx > 1 && dy > 1) found.push({ page: index + 1, words: [a.text, b.text] });
        }
    });
  return found;
}

/** Registers the poppler check and a temporary folder for the file; returns a reader of rendered PDFs. */
export function usePdfReader(label: string): (pdf: Uint8Array) => Read {
  let dir = '';
  let counter = 0;
  beforeAll(() => {
    for (const tool of ['pdftotext', 'pdffonts', 'pdfinfo']) {
      try {
        execFileSync(tool, ['-v'], { stdio: 'pipe' });
      } catch {
        throw new Error(`${tool} is missing: install Debian's poppler-utils (apt-get install -y poppler-utils); CI installs it`);
      }
    }
    dir = mkdtempSync(path.join(os.tmpdir(), `${label}-pdf-`));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return (pdf) => {
    const file = path.join(dir, `${label}-${++counter}.pdf`);
    writeFileSync(file, pdf);
    const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const layoutText = run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
    const rawText = run('pdftotext', ['-raw', '-enc', 'UTF-8', file, '-']);
    const pages = layoutText.split('\f').filter((page) => page.trim() !== '');
    const info = run('pdfinfo', [file]);
    const pageCount = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
    return {
      pdf,
      pages,
      layout: flat(layoutText),
      raw: flat(rawText.replace(/-\n/g, '-')),
      pageCount,
      fonts: run('pdffonts', [file]),
      info,
      overlaps: () => overlappingWords(run('pdftotext', ['-bbox', '-enc', 'UTF-8', file, '-'])),
    };
  };
}
