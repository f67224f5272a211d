/**
 * e2e helper: the local server in process, on a free port, against the project's DynamoDB Local
 * (inject('ddbEndpoint')), with fresh tables and a fresh signing key in a temporary data directory.
 * The local adapters of that directory are installed (documents, .eml outbox, secrets): handlers
 * run in this process, so `outbox()` reads what they sent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { RouteDef } from '../../functions/routes.ts';
import { useAdapters } from '../../functions/shared/adapters.ts';
import type { Role } from '../../functions/shared/roles.ts';
import { localAdapters, readOutbox, type OutboxMessage } from '../../infra/local/adapters.ts';
import { loadOrCreateSigningKey, signToken, type SigningKey, type TokenRequest } from '../../infra/local/jwt.ts';
import { createLocalServer, type LocalServer } from '../../infra/local/server.ts';
import { startStripeStandIn, type StripeStandIn } from '../../infra/local/stripe/index.ts';
import { statusRecorder } from './documented-statuses.ts';
import { setUpLocalTables, uniquePrefix } from './local-tables.ts';

export interface TestServer {
  readonly url: string;
  readonly dataDir: string;
  readonly key: SigningKey;
  readonly server: LocalServer;
  /** The Stripe stand-in the handlers talk to (its events go to this server's /webhooks/stripe). */
  readonly stripe: StripeStandIn;
  /** Request log lines (method, route key, status, ms); in the e2e project also recorded for the documented-statuses check. */
  readonly log: readonly string[];
  /** E-mails sent so far (oldest first), parsed from <dataDir>/outbox/*.eml. */
  outbox(): OutboxMessage[];
  /** A valid token; manager and entrepreneur default to ETD 44. */
  token(role: Role, etd?: string, sub?: string, extra?: Partial<TokenRequest>): Promise<string>;
  stop(): Promise<void>;
}

export interface TestServerOptions {
  /** The route table to serve (default: functions/routes.ts), e.g. a copy with one grant removed. */
  readonly routes?: readonly RouteDef[];
}

export async function startLocalTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'oui-e2e-'));
  let stripe: StripeStandIn | undefined;
  try {
    await setUpLocalTables(uniquePrefix('e2e'));
    const key = await loadOrCreateSigningKey(dataDir);
    const log: string[] = [];
    let url = '';
    // Always the stand-in, even if the developer's shell has a Stripe key.
    stripe = await startStripeStandIn({ webhookUrl: () => (url ? `${url}/webhooks/stripe` : '') });
    const env = { ...process.env };
    delete env.STRIPE_SECRET_KEY;
    delete env.STRIPE_WEBHOOK_SECRET;
    useAdapters(localAdapters({ dataDir, publicBaseUrl: () => url, env, stripeStandIn: stripe }));
    const statusLogDir = inject('statusLogDir');
    const record = statusLogDir ? statusRecorder(statusLogDir) : undefined;
    const server = await createLocalServer({
      signingKey: key,
      port: 0,
      host: '127.0.0.1',
      log: (line) => {
        log.push(line);
        record?.(line);
      },
      dataDir,
      ...(options.routes ? { routes: options.routes } : {}),
    });
    url = server.url;
    const standIn = stripe;
    return {
      url: server.url,
      dataDir,
      key,
      server,
      stripe: standIn,
      log,
      outbox: () => readOutbox(dataDir),
      token: (role, etd, sub, extra = {}) => {
        const territory = etd ?? (role === 'manager' || role === 'entrepreneur' ? '44' : undefined);
        return signToken({ role, ...(territory ? { etd: territory } : {}), ...(sub ? { sub } : {}), ...extra }, key);
      },
      stop: async () => {
        try {
          await server.close(5000);
        } finally {
          await standIn.stop();
          rmSync(dataDir, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await stripe?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}
