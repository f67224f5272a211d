/**
 * R1 numbering: concurrent issues over two CAE series (SAMAD and MSG of ETD 44) through the real
 * use case (`issueInvoice`: series lease, PDF stored, one transaction, e-mail), with failures
 * injected from the test side only: the documents store's put and the mailer fail at random (S3 /
 * SES), and a middleware on the handlers' shared DynamoDB client throttles requests at random
 * (inside the SDK's retries, as real throttling is). Failed issues are retried in rounds until no
 * draft is left. Checked: each series exactly 1..n (no gap, no duplicate, counter at n), every
 * draft issued, every stored PDF carries the number of the invoice that consumed it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { expect } from 'vitest';
import { adapters, useAdapters } from '../../functions/shared/adapters.ts';
import { documentClient } from '../../functions/shared/dynamo.ts';
import { parisYear } from '../../functions/shared/clock.ts';
import { seriesKeys } from '../../functions/shared/series.ts';
import { createInvoice, getInvoice } from '../../functions/invoices/service.ts';
import { invoiceSeries, issueInvoice } from '../../functions/invoices/issue.ts';
import { getItem } from '../../functions/invoices/store.ts';
import { seriesProblem } from '../../scripts/bench/issues.ts';
import { installLocalAdapters, manager44, seedInvoicingWorld, standardBody } from '../support/invoicing.ts';
import { setUpLocalTables, uniquePrefix } from '../support/local-tables.ts';
import { random, report, size } from './support.ts';

const THROTTLE = 'reliabilityThrottle';

export async function runR1(): Promise<void> {
  const started = performance.now();
  const total = size(500, 40);
  const rates = { documents: 0.08, mail: 0.1, throttle: size(0.02, 0.01) };
  const rand = random(0x5eed1);

  await setUpLocalTables(uniquePrefix('r1'));
  const dataDir = installLocalAdapters();
  const now = new Date();
  const world = await seedInvoicingWorld(dataDir, now);

  const drafts: { id: string; cae: 'SAMAD' | 'MSG' }[] = [];
  for (let i = 0; i < total; i++) {
    const cae = i % 2 === 0 ? 'SAMAD' : 'MSG';
    drafts.push({ id: (await createInvoice(manager44, standardBody(world, cae), now)).id, cae });
  }

  // ---- Failures, injected around the adapters and in the SDK's middleware stack ----
  const injected = { documents: 0, mail: 0, throttle: 0 };
  const base = adapters();
  useAdapters({
    ...base,
    documents: {
      ...base.documents,
      put: async (key, body, contentType) => {
        if (rand() < rates.documents) {
          injected.documents++;
          throw Object.assign(new Error('injected: S3 PutObject failed'), { name: 'InternalError' });
        }
        return base.documents.put(key, body, contentType);
      },
    },
    mailer: {
      send: async (message) => {
        if (rand() < rates.mail) {
          injected.mail++;
          throw Object.assign(new Error('injected: SES throttled'), { name: 'TooManyRequestsException' });
        }
        return base.mailer.send(message);
      },
    },
  });
  const stack = documentClient().middlewareStack;
  stack.add(
    (next) => async (args) => {
      if (rand() < rates.throttle) {
        injected.throttle++;
        throw new ProvisionedThroughputExceededException({
          message: 'injected: rate of requests exceeds the allowed throughput',
          $metadata: { httpStatusCode: 400 },
        });
      }
      return next(args);
    },
    // Inside the SDK's retry middleware (finalizeRequest, high priority): retried as real throttling is.
    { step: 'finalizeRequest', priority: 'low', name: THROTTLE },
  );

  const rounds: { round: number; attempted: number; issued: number; failed: number; firstError?: string; seconds: number }[] = [];
  const errorsByName = new Map<string, number>();
  try {
    let remaining = drafts.map((d) => d.id);
    for (let round = 1; remaining.length > 0 && round <= 10; round++) {
      const t = performance.now();
      let firstError: string | undefined;
      const outcomes = await Promise.all(
        remaining.map(async (id) => {
          try {
            await issueInvoice(adapters(), manager44, id, new Date());
            return true;
          } catch (error) {
            const name = (error as Error).name;
            errorsByName.set(name, (errorsByName.get(name) ?? 0) + 1);
            firstError ??= `${name}: ${(error as Error).message}`;
            return false;
          }
        }),
      );
      // What the database says, not what the calls answered (a timeout may hide a commit).
      // A draft is not issued; an issued invoice whose PDF is not stored yet (documentPending) is not
      // complete: issuing again completes it, as its author would.
      const states = await Promise.all(remaining.map(async (id) => ({ id, invoice: await getInvoice(manager44, id) })));
      const left = states.filter((s) => s.invoice.state === 'draft' || s.invoice.documentPending).map((s) => s.id);
      rounds.push({
        round,
        attempted: remaining.length,
        issued: remaining.length - left.length,
        failed: outcomes.filter((ok) => !ok).length,
        ...(firstError ? { firstError } : {}),
        seconds: (performance.now() - t) / 1000,
      });
      remaining = left;
    }
  } finally {
    stack.remove(THROTTLE);
    useAdapters(base);
  }

  // ---- Checks ----
  const invoices = await Promise.all(drafts.map(async (d) => ({ ...d, invoice: await getInvoice(manager44, d.id) })));
  const year = parisYear(now);
  const seriesRows: string[][] = [];
  const problems: string[] = [];
  const documents = readdirSync(join(dataDir, 'documents', 'invoices', '44')).filter((f) => f.endsWith('.pdf'));
  const issuedKeys = new Set(invoices.map((i) => i.invoice.documentKey?.split('/').pop()));
  const orphanPdfs = documents.filter((f) => !issuedKeys.has(f));
  const withoutPdf = invoices
    .filter((i) => i.invoice.documentKey && !documents.includes(i.invoice.documentKey.split('/').pop()!))
    .map((i) => i.id);
  const pending = invoices.filter((i) => i.invoice.documentPending).map((i) => i.id);
  for (const cae of ['SAMAD', 'MSG'] as const) {
    const series = invoiceSeries(cae, '44', year);
    const mine = invoices.filter((i) => i.cae === cae);
    const numbers = mine.map((i) => i.invoice.number).filter((n): n is string => typeof n === 'string');
    const sequences = numbers.map((n) => Number(n.slice(series.length + 1)));
    const counter = Number((await getItem(seriesKeys.counter(series)))?.last ?? 0);
    const duplicates = sequences.length - new Set(sequences).size;
    const problem =
      seriesProblem(sequences) ?? (counter !== sequences.length ? `counter at ${counter}, ${sequences.length} issued` : undefined);
    const stuck = mine.filter((i) => i.invoice.state === 'draft').length;
    if (problem) problems.push(`${series}: ${problem}`);
    seriesRows.push([
      series,
      `${mine.length}`,
      `${sequences.length}`,
      sequences.length ? `1..${Math.max(...sequences)}` : '—',
      `${counter}`,
      `${duplicates}`,
      problem ? `**${problem}**` : 'none',
      `${stuck}`,
    ]);
  }
  const seconds = (performance.now() - started) / 1000;
  report({
    id: 'R1',
    title: 'invoice numbering under injected failures',
    size: `${total} drafts over 2 series, issued all at once, failed or incomplete ones issued again in rounds`,
    head: ['series', 'drafts', 'issued', 'numbers', 'counter', 'duplicates', 'gap / problem', 'stuck drafts'],
    rows: seriesRows,
    notes: [
      `Injected: ${injected.documents} document-store failures (p=${rates.documents}), ${injected.mail} mail failures (p=${rates.mail}), ${injected.throttle} DynamoDB throttlings (p=${rates.throttle} per attempt, inside the SDK's retries).`,
      `Rounds: ${rounds.map((r) => `#${r.round} ${r.attempted} tried, ${r.issued} completed, ${r.failed} failed (${r.seconds.toFixed(1)} s)`).join('; ')}.`,
      `Errors seen by callers: ${[...errorsByName].map(([n, c]) => `${n} × ${c}`).join(', ') || 'none'}.`,
      `Stored PDFs: ${documents.length}; PDFs carrying a number no invoice consumed: ${orphanPdfs.length}; issued invoices without their PDF: ${withoutPdf.length}; still marked pending: ${pending.length}.`,
    ],
    seconds,
  });

  expect(problems).toEqual([]);
  expect(invoices.filter((i) => i.invoice.state === 'draft').map((i) => i.id)).toEqual([]);
  expect(injected.documents + injected.mail + injected.throttle).toBeGreaterThan(0);
  expect(orphanPdfs).toEqual([]);
  expect(withoutPdf).toEqual([]);
  expect(pending).toEqual([]);
}
