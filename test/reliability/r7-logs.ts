/**
 * R7 logs: every log line the suite produced — the Powertools logger of the handlers run in this
 * worker (at DEBUG level), the request logs of the local servers, and everything the back-office
 * child processes of R6 printed — scanned for personal data and secrets: e-mail addresses, French
 * phone numbers, IBANs (checksum verified), NIRs (French social security numbers, key verified),
 * JWTs and Stripe keys (sk_/rk_/whsec_). Expected: 0 findings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { LOG_DIR, report } from './support.ts';

const ibanValid = (raw: string): boolean => {
  const iban = raw.replace(/\s/g, '');
  const moved = iban.slice(4) + iban.slice(0, 4);
  const digits = moved.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55));
  let rest = 0;
  for (const d of digits) rest = (rest * 10 + Number(d)) % 97;
  return rest === 1;
};

const nirValid = (raw: string): boolean => {
  const nir = raw.replace(/\s/g, '');
  const body = nir.slice(0, 13).replace('2A', '19').replace('2B', '18');
  return 97 - Number(BigInt(body) % 97n) === Number(nir.slice(13));
};

export const detectors: readonly { name: string; pattern: RegExp; valid?: (match: string) => boolean }[] = [
  { name: 'e-mail address', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  { name: 'French phone number', pattern: /(?<![\w.+-])(?:\+33[\s.-]?|0033[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?![\w])/g },
  { name: 'IBAN', pattern: /\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b/g, valid: ibanValid },
  {
    name: 'NIR',
    pattern: /(?<![\w.])[12]\s?\d{2}\s?(?:0[1-9]|1[0-2]|[2-9]\d)\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}\s?\d{2}(?![\w])/g,
    valid: nirValid,
  },
  { name: 'JWT', pattern: /eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { name: 'Stripe key', pattern: /\b(?:sk|rk)_(?:test|live)_[A-Za-z0-9_]{8,}|\bwhsec_[A-Za-z0-9+/=_]{8,}/g },
];

/** A finding, shown without the value itself (the first characters only). */
const masked = (value: string) => `${value.slice(0, 4)}… (${value.length} chars)`;

export function scan(text: string): { name: string; sample: string }[] {
  const found: { name: string; sample: string }[] = [];
  for (const d of detectors)
    for (const m of text.matchAll(d.pattern)) if (!d.valid || d.valid(m[0])) found.push({ name: d.name, sample: masked(m[0]) });
  return found;
}

/** One sample of each kind (fictitious), that the scan must find: the detectors themselves are tested. */
const SAMPLES = [
  'to jean.moreau@example.org',
  'tel 06 12 34 56 78',
  'tel +33612345678',
  'FR76 3000 6000 0112 3456 7890 189',
  'nir 1 85 05 78 006 084 91',
  'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl',
  'sk_test_standin_abcdefgh12345678',
  'whsec_abcdefgh12345678',
];
/** Ids, numbers and timestamps of ordinary log lines: none may be taken for personal data. */
const ORDINARY =
  '{"timestamp":"2026-11-30T13:03:29.117Z","ms":1764510000000,"number":"F-MSG44-2026-000012","id":"inv_01kmy3vwq2c6e9h3j7m0p4s8tx","siret":"90112233300015"}';

export async function runR7(): Promise<void> {
  const started = performance.now();
  for (const sample of SAMPLES) expect(scan(sample), sample).toHaveLength(1);
  expect(scan(ORDINARY)).toEqual([]);
  // Lines still buffered by the logger reach the capture first.
  await new Promise((r) => setImmediate(r));
  const rows: string[][] = [];
  const findings: string[] = [];
  let lines = 0;
  let bytes = 0;
  for (const file of readdirSync(LOG_DIR).sort()) {
    const text = readFileSync(join(LOG_DIR, file), 'utf8');
    const fileLines = text.split('\n').filter(Boolean);
    const found = fileLines.flatMap((line, i) => scan(line).map((f) => `${file}:${i + 1} ${f.name} ${f.sample}`));
    lines += fileLines.length;
    bytes += Buffer.byteLength(text);
    findings.push(...found);
    rows.push([file.replace(/-\d+(?=-std)/, ''), `${fileLines.length}`, `${Buffer.byteLength(text)}`, `${found.length}`]);
  }
  rows.push(['**total**', `${lines}`, `${bytes}`, `${findings.length}`]);
  report({
    id: 'R7',
    title: 'personal data and secrets in the logs',
    size: `every line logged during the suite: ${lines} lines, ${(bytes / 1024).toFixed(0)} KiB`,
    head: ['log', 'lines', 'bytes', 'findings'],
    rows,
    notes: [
      `Looked for: ${detectors.map((d) => d.name).join(', ')} (IBAN and NIR with their check digits).`,
      `Findings: ${findings.length}.`,
      ...findings.slice(0, 10).map((f) => `finding: ${f}`),
    ],
    seconds: (performance.now() - started) / 1000,
  });
  // The scan must have had something to read: the handlers' logs and a child process's output.
  expect(lines).toBeGreaterThan(100);
  expect(findings).toEqual([]);
}
