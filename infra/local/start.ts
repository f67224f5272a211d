/**
 * `npm start`: the whole back office on one machine.
 *   DATA_DIR (default .local/ at the repository root), PORT (default 3000), SEED (demo | none).
 * Documents live under <DATA_DIR>/documents (served through signed links under /_local/documents/),
 * e-mail lands in <DATA_DIR>/outbox as .eml files, secrets come from the environment or from
 * <DATA_DIR>/keys (infra/local/adapters.ts).
 * DynamoDB Local keeps its data under <DATA_DIR>/dynamodb; tables come from functions/tables.ts;
 * the server answers on http://127.0.0.1:<PORT>. Ctrl-C / SIGTERM: stop accepting, finish the
 * requests in flight, stop the scheduler, stop DynamoDB Local, remove runtime.json, exit 0.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobs, scheduleLabel } from '../../functions/jobs.ts';
import { routes } from '../../functions/routes.ts';
import { useAdapters } from '../../functions/shared/adapters.ts';
import { useCesuPort } from '../../functions/cesu/urssaf.ts';
import { cesuStandIn } from './urssaf-cesu.ts';
import { localAdapters } from './adapters.ts';
import { resolveDataDir } from './apigw.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from './dynamodb-local.ts';
import { loadOrCreateSigningKey } from './jwt.ts';
import { startScheduler, type LocalScheduler } from './scheduler.ts';
import { startLocalEvents, type LocalEvents } from './events.ts';
import { consumers } from '../../functions/consumers.ts';
import { startStripeStandIn, type StripeStandIn } from './stripe/index.ts';
import { makeDataDirPrivate, usePrivateUmask } from './private-data.ts';
import { isAlive, readRuntime, runtimeFile, type RuntimeInfo } from './runtime-file.ts';
import { createLocalServer, type LocalServer } from './server.ts';
import { applyLocalEnv, ensureTables } from './tables.ts';

/** A JVM left by a start that was killed with SIGKILL (no hook could run): end it. */
function reapOrphan(info: RuntimeInfo): void {
  if (!info.ddbPid || !isAlive(info.ddbPid)) return;
  try {
    const cmdline = readFileSync(`/proc/${info.ddbPid}/cmdline`, 'utf8');
    if (cmdline.includes('DynamoDBLocal.jar')) {
      process.kill(info.ddbPid, 'SIGKILL');
      console.error(`Ended DynamoDB Local left running by a previous start (pid ${info.ddbPid}).`);
    }
  } catch {
    // not Linux, or not ours: leave it
  }
}

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

async function main(): Promise<void> {
  const dataDir = resolveDataDir();
  const port = process.env.PORT === undefined || process.env.PORT === '' ? 3000 : Number(process.env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, not "${process.env.PORT}".`, 2);
  const seed = process.env.SEED === undefined || process.env.SEED === '' ? 'demo' : process.env.SEED;
  if (seed !== 'demo' && seed !== 'none') fail(`SEED must be "demo" or "none", not "${seed}".`, 2);

  // Secrets and personal data: owner-only, for what exists and for what this process (and the
  // DynamoDB Local JVM, which inherits the umask) will create.
  usePrivateUmask();
  try {
    makeDataDirPrivate(dataDir);
  } catch (error) {
    fail(`Could not make the data directory private: ${(error as Error).message}`);
  }

  const previous = readRuntime(dataDir);
  if (previous && previous.pid !== process.pid && isAlive(previous.pid)) {
    fail(`The back office already runs on this data directory (pid ${previous.pid}, ${previous.url}). Stop it first, or set DATA_DIR.`);
  }
  if (previous) {
    reapOrphan(previous);
    rmSync(runtimeFile(dataDir), { force: true });
  }

  let ddb: DynamoDbLocal | undefined;
  let server: LocalServer | undefined;
  let scheduler: LocalScheduler | undefined;
  let events: LocalEvents | undefined;
  let stripe: StripeStandIn | undefined;
  let wroteRuntime = false;
  const removeRuntime = () => {
    if (wroteRuntime && readRuntime(dataDir)?.pid === process.pid) rmSync(runtimeFile(dataDir), { force: true });
    wroteRuntime = false;
  };
  process.on('exit', removeRuntime);

  // Signals: the first one stops gracefully; repeats within 2 s are the same Ctrl-C (the terminal
  // signals npm and node, and npm forwards it); a later one forces the exit.
  let stopping: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping !== undefined) {
      if (Date.now() - stopping < 2000) return;
      console.error(`${signal} again: forcing exit.`);
      process.exit(1); // the exit hook of dynamodb-local.ts kills the JVM
    }
    stopping = Date.now();
    console.log(`\n${signal}: stopping (finishing requests in flight)…`);
    void (async () => {
      await server?.close(30_000);
      await scheduler?.stop();
      await events?.stop();
      await stripe?.stop();
      await ddb?.stop();
      removeRuntime();
      console.log('Stopped.');
      process.exit(0);
    })().catch((error: unknown) => {
      console.error('Error while stopping:', error);
      process.exit(1);
    });
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    ddb = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb'), handleSignals: false });
    const tableEnv = await ensureTables(ddb.endpoint, { prefix: 'oui-' });
    applyLocalEnv(ddb.endpoint, tableEnv);

    const signingKey = await loadOrCreateSigningKey(dataDir);
    // Stripe: real Stripe with STRIPE_SECRET_KEY=sk_test_…; otherwise the embedded stand-in, whose
    // events go to this server's webhook route once it listens.
    if (!process.env.STRIPE_SECRET_KEY) {
      stripe = await startStripeStandIn({ webhookUrl: () => (server ? `${server.url}/webhooks/stripe` : '') });
    }
    // Documents, outbox and secrets of this data directory; links point at this server (or at
    // PUBLIC_BASE_URL when set, e.g. behind a tunnel).
    useAdapters(
      localAdapters({
        dataDir,
        publicBaseUrl: () => process.env.PUBLIC_BASE_URL || server?.url || '',
        ...(stripe ? { stripeStandIn: stripe } : {}),
      }),
    );
    // URSSAF's CESU declaration API: never connected offline; the stand-in answers as it would (infra/local/urssaf-cesu.ts).
    useCesuPort(cesuStandIn());
    scheduler = startScheduler();
    // Domain events: the sales and payroll tables' streams → the relay → the consumers (infra/local/events.ts).
    events = await startLocalEvents({ endpoint: ddb.endpoint });
    try {
      server = await createLocalServer({ signingKey, port, host: '127.0.0.1', dataDir });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(`Port ${port} is already in use: stop what uses it, or set PORT (e.g. PORT=3001 npm start).`);
      }
      throw error;
    }
    if (stopping !== undefined) return;

    let seeded = 'skipped (SEED=none)';
    if (seed === 'demo') {
      // Imported only now: the seed uses the functions' modules, which read the environment. After the adapters and
      // the server: the month of activity renders PDFs and e-mails links to this server.
      const { seedDemo } = await import('./seed.ts');
      // With October 2026 for the three business-plan profiles (invoices paid, expense, payslip).
      const outcome = await seedDemo(new Date(), { activity: true });
      seeded = outcome.created
        ? 'demo data created'
        : outcome.reason === 'already-seeded'
          ? 'demo data already present'
          : 'skipped: the data directory already holds data';
    }
    if (stopping !== undefined) return;

    const info: RuntimeInfo = {
      pid: process.pid,
      endpoint: ddb.endpoint,
      port: server.port,
      url: server.url,
      ddbPid: ddb.pid,
      startedAt: new Date().toISOString(),
      ...(stripe ? { stripe: { port: stripe.port, apiKey: stripe.apiKey, webhookSecret: stripe.webhookSecret } } : {}),
    };
    writeFileSync(runtimeFile(dataDir), JSON.stringify(info, null, 2) + '\n', { mode: 0o600 });
    wroteRuntime = true;

    const planned = scheduler.planned();
    const jobLines = jobs.map(
      (j) => `${j.fn} ${scheduleLabel(j).toLowerCase()} Europe/Paris (next ${planned[j.fn]?.toISOString() ?? '?'})`,
    );
    console.log(
      [
        '',
        'Oui Ensemble back office: local runtime',
        `  API        ${server.url}  (${routes.length} routes)`,
        `  Data       ${dataDir}`,
        `  Mail       ${join(dataDir, 'outbox')}  (.eml files)`,
        stripe
          ? `  Stripe     stand-in ${stripe.url}  (set STRIPE_SECRET_KEY=sk_test_… for real Stripe; settle a debit: curl -X POST ${stripe.url}/_standin/sessions/<cs_id>/settle -d outcome=succeeded)`
          : '  Stripe     real Stripe, test mode (STRIPE_SECRET_KEY); webhooks signed with STRIPE_WEBHOOK_SECRET',
        `  DynamoDB   ${ddb.endpoint}  (DynamoDB Local, on this machine only)`,
        `  Seed       ${seeded}`,
        `  Jobs       ${jobLines.join('; ')}`,
        `  Events     sales and payroll streams relayed every 250 ms to ${consumers.map((c) => `${c.fn} (${c.events.join(', ')})`).join('; ')}`,
        '',
        'Get a token (roles: operator, manager, entrepreneur, partner):',
        '  TOKEN=$(npm run -s token -- --role operator)',
        'Try it:',
        `  curl -s ${server.url}/health`,
        `  curl -s -H "Authorization: Bearer $TOKEN" ${server.url}/etds`,
        'Stop: Ctrl-C',
        '',
      ].join('\n'),
    );
  } catch (error) {
    console.error(`Could not start the back office: ${error instanceof Error ? error.message : String(error)}`);
    await server?.close(1000).catch(() => undefined);
    await scheduler?.stop().catch(() => undefined);
    await events?.stop().catch(() => undefined);
    await stripe?.stop().catch(() => undefined);
    await ddb?.stop().catch(() => undefined);
    removeRuntime();
    process.exit(1);
  }
}

await main();
