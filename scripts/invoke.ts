/**
 * `npm run invoke -- <function> <event-file.json>`: runs one function (a route's, a job's, an event consumer's or the event relay's, by
 * its `fn` name) once on a sample event, like `Lambda Invoke`, and prints its result.
 * Database: the DynamoDB Local of a running `npm start` on the same DATA_DIR when there is one;
 * otherwise its own on <DATA_DIR>/dynamodb, stopped at the end. Documents, e-mail (.eml outbox)
 * and secrets: the local adapters of the same DATA_DIR (infra/local/adapters.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { consumers, relay } from '../functions/consumers.ts';
import { useEventBus } from '../functions/events/bus.ts';
import { jobs } from '../functions/jobs.ts';
import { routes } from '../functions/routes.ts';
import { useAdapters } from '../functions/shared/adapters.ts';
import { localAdapters } from '../infra/local/adapters.ts';
import { invokeHandler, resolveDataDir, type InvokeTarget } from '../infra/local/apigw.ts';
import { startDynamoDbLocal, type DynamoDbLocal } from '../infra/local/dynamodb-local.ts';
import { startStripeStandIn, type StripeStandIn } from '../infra/local/stripe/index.ts';
import { localEventBus } from '../infra/local/events.ts';
import { makeDataDirPrivate, usePrivateUmask } from '../infra/local/private-data.ts';
import { liveRuntime } from '../infra/local/runtime-file.ts';
import { applyLocalEnv, ensureTables } from '../infra/local/tables.ts';

// The whole entry: the function runs with its grants only (infra/local/grants.ts).
const targets: readonly InvokeTarget[] = [...routes, ...jobs, relay, ...consumers];

function usage(message: string): never {
  console.error(`invoke: ${message}`);
  console.error('Usage: npm run invoke -- <function> <event-file.json>');
  console.error(`Functions: ${targets.map((t) => t.fn).join(', ')}`);
  process.exit(2);
}

const [fn, eventFile, ...extra] = process.argv.slice(2);
if (!fn || !eventFile || extra.length) usage('expected a function name and an event file');
const target = targets.find((t) => t.fn === fn) ?? targets.find((t) => t.fn.toLowerCase() === fn.toLowerCase());
if (!target) usage(`no function named "${fn}"`);

let event: unknown;
try {
  event = JSON.parse(readFileSync(resolve(eventFile), 'utf8'));
} catch (error) {
  usage(`cannot read ${eventFile}: ${(error as Error).message}`);
}

/** The result with a JSON body parsed, for reading. */
function forDisplay(result: unknown): unknown {
  if (!result || typeof result !== 'object' || !('body' in result)) return result;
  const r = result as { body?: unknown; isBase64Encoded?: boolean };
  if (typeof r.body !== 'string' || r.isBase64Encoded) return result;
  try {
    return { ...r, body: JSON.parse(r.body) };
  } catch {
    return result;
  }
}

const dataDir = resolveDataDir();
// Owner-only, like `npm start` (infra/local/private-data.ts).
usePrivateUmask();
makeDataDirPrivate(dataDir);
let own: DynamoDbLocal | undefined;
let stripe: StripeStandIn | undefined;
let exitCode = 0;
try {
  const running = liveRuntime(dataDir);
  // Documents, outbox and secrets of the same data directory as `npm start`; links point at the
  // running server (or where it listens by default).
  const publicBaseUrl = process.env.PUBLIC_BASE_URL || running?.url || `http://127.0.0.1:${process.env.PORT || 3000}`;
  // Stripe: real Stripe with STRIPE_SECRET_KEY=sk_test_…; otherwise the stand-in of the running
  // `npm start` (so a reconciliation sees its payments), or one of this run only (its events go nowhere).
  if (!process.env.STRIPE_SECRET_KEY && !running?.stripe) stripe = await startStripeStandIn();
  const standIn = running?.stripe ?? stripe;
  useAdapters(localAdapters({ dataDir, publicBaseUrl, ...(standIn && !process.env.STRIPE_SECRET_KEY ? { stripeStandIn: standIn } : {}) }));
  let endpoint = running?.endpoint;
  if (endpoint) {
    console.error(`invoke: using the DynamoDB Local of the running back office (${endpoint})`);
  } else {
    own = await startDynamoDbLocal({ dataDir: resolve(dataDir, 'dynamodb') });
    endpoint = own.endpoint;
    console.error(`invoke: started DynamoDB Local on ${dataDir}/dynamodb (${endpoint}, pid ${own.pid})`);
  }
  applyLocalEnv(endpoint, await ensureTables(endpoint, { prefix: 'oui-' }));
  // Events the function publishes (the relay) go to the consumers, in this process, before exiting.
  const bus = localEventBus({
    log: (line) => console.error(`invoke: ${line}`),
    invoke: (consumer, envelope) => {
      console.error(`invoke: ${envelope['detail-type']} ${envelope.detail.eventId} → ${consumer.fn}`);
      return invokeHandler(consumer, envelope);
    },
  });
  useEventBus(bus);
  const started = performance.now();
  const result = await invokeHandler(target, event);
  await bus.idle();
  const display = forDisplay(result);
  console.error(
    `invoke: ${target.fn} returned in ${Math.round(performance.now() - started)} ms${display !== result ? ' (JSON body parsed for display)' : ''}`,
  );
  // Flushed before exiting: a piped stdout is asynchronous.
  await new Promise<void>((done) => process.stdout.write(JSON.stringify(display ?? null, null, 2) + '\n', () => done()));
} catch (error) {
  console.error(`invoke: ${target.fn} failed:`, error);
  exitCode = 1;
} finally {
  await stripe?.stop();
  await own?.stop();
}
process.exit(exitCode);
