/**
 * The reliability suite (issue 7 §4), one scenario after another in one worker so that R7 scans
 * the logs every other scenario wrote: R1 numbering, R2 webhooks, R3 fuzz, R4 authorization,
 * R6 crash, R7 logs. Reduced size under `npm test`; `npm run reliability` (RELIABILITY_SIZE=full)
 * runs the full size and writes RELIABILITY.md at the repository root.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { runR1 } from './r1-numbering.ts';
import { runR2 } from './r2-webhooks.ts';
import { runR3 } from './r3-fuzz.ts';
import { runR4 } from './r4-authorization.ts';
import { runR6 } from './r6-crash.ts';
import { runR7 } from './r7-logs.ts';
import { startWorld, type World } from './world.ts';
import { writeReliabilityReport } from './report.ts';
import { captureProcessOutput, figures, FULL, resetLogs, scenario } from './support.ts';

const MINUTES = 60_000;

beforeAll(() => {
  resetLogs();
  captureProcessOutput();
});

afterAll(() => {
  if (FULL) writeReliabilityReport(figures);
});

describe('reliability', () => {
  it('R1 numbering: each series exactly 1..n under injected failures, nothing stuck', scenario('R1', runR1), 15 * MINUTES);

  describe('over HTTP, on the local server', () => {
    let world: World;
    beforeAll(async () => {
      world = await startWorld('http');
    }, 5 * MINUTES);
    afterAll(async () => {
      await world?.stop();
    });
    it(
      'R4 authorization: every object of another tenant refused, nothing of it in any body',
      scenario('R4', () => runR4(world)),
      15 * MINUTES,
    );
    it(
      'R2 webhooks: one payment each whatever the deliveries, the dropped one recovered by reconciliation',
      scenario('R2', () => runR2(world)),
      15 * MINUTES,
    );
    // Last on this server: its valid requests change the world (R2 holds back the stand-in's webhooks from then on).
    it(
      'R3 fuzz: no 5xx, every 4xx a problem naming the field',
      scenario('R3', () => runR3(world)),
      15 * MINUTES,
    );
  });

  it(
    'R6 crash: kill -9 under load, restart: no gap, no duplicate, no half-issued document, no JVM left',
    scenario('R6', runR6),
    15 * MINUTES,
  );

  // Last: it reads what every scenario above logged.
  it('R7 logs: no e-mail, phone, IBAN, NIR, JWT or Stripe key in any log line', scenario('R7', runR7), 5 * MINUTES);
});
