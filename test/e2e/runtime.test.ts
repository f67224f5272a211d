/**
 * The local runtime itself, over real HTTP: the API Gateway-like front door (routing, JWT checks,
 * problems, size limit), the token script, `npm start` end to end (banner, /health, clean stop
 * with no JVM left) and `npm run invoke`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteDef } from '../../functions/routes.ts';
import { REPO_ROOT } from '../../infra/local/apigw.ts';
import { freePort } from '../../infra/local/dynamodb-local.ts';
import { loadOrCreateSigningKey, signToken } from '../../infra/local/jwt.ts';
import { createLocalServer } from '../../infra/local/server.ts';
import { startLocalTestServer, type TestServer } from '../support/local-server.ts';
import { adapters } from '../../functions/shared/adapters.ts';
import { documentLink } from '../../infra/local/adapters.ts';

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** True once `pid` has exited (a zombie awaiting its reaper counts as exited); waits up to 5 s. */
async function exited(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    if (!isAlive(pid)) return true;
    try {
      if (/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))) return true;
    } catch {
      // no /proc: rely on kill(0)
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
    child.once('error', fail);
    child.once('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr });
    });
  });
}

async function problemOf(response: Response) {
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  return (await response.json()) as { type: string; title: string; status: number; detail: string; reason?: string };
}

describe('local server (in process)', () => {
  let srv: TestServer;
  beforeAll(async () => {
    srv = await startLocalTestServer();
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('GET /health answers {"status":"ok"} without a token', async () => {
    const response = await fetch(`${srv.url}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
    expect(response.headers.get('apigw-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts a valid token of each role on a route the role may call', async () => {
    const response = await fetch(`${srv.url}/etds`, { headers: { authorization: `Bearer ${await srv.token('operator')}` } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ items: [] });
  });

  describe('refuses a bad token with 401 problem+json naming the reason', () => {
    const cases: [string, () => Promise<string | undefined>, string, RegExp][] = [
      ['no token', async () => undefined, 'missing', /No bearer token/],
      ['a malformed token', async () => 'Bearer not.a-jwt', 'malformed', /malformed/],
      [
        'a bad signature',
        async () => {
          const [h, p, s] = (await srv.token('operator')).split('.') as [string, string, string];
          return `Bearer ${h}.${p}.${s.startsWith('A') ? 'B' : 'A'}${s.slice(1)}`;
        },
        'bad-signature',
        /signature/,
      ],
      [
        'an expired token',
        async () => `Bearer ${await srv.token('operator', undefined, undefined, { now: new Date(Date.now() - 2 * 3600_000) })}`,
        'expired',
        /expired/,
      ],
      [
        'a token for another audience',
        async () => `Bearer ${await srv.token('operator', undefined, undefined, { audience: 'another-app' })}`,
        'wrong-audience',
        /audience/,
      ],
    ];
    for (const [name, header, reason, detail] of cases) {
      it(name, async () => {
        const value = await header();
        const response = await fetch(`${srv.url}/etds`, { headers: value ? { authorization: value } : {} });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
        const problem = await problemOf(response);
        expect(problem).toMatchObject({ status: 401, title: 'Authentication required', reason });
        expect(problem.detail).toMatch(detail);
      });
    }
  });

  it('answers an unknown route with 404 and a wrong method with 405 and Allow, as problems', async () => {
    const missing = await fetch(`${srv.url}/nowhere?secret=1`);
    expect(missing.status).toBe(404);
    expect(await problemOf(missing)).toMatchObject({ status: 404 });

    const wrong = await fetch(`${srv.url}/etds`, { method: 'DELETE' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect(await problemOf(wrong)).toMatchObject({ status: 405, title: 'Method not allowed' });
    // The request log names methods and route keys, never query strings.
    expect(srv.log.some((l) => l.includes('?'))).toBe(false);
  });

  it('dispatches /partners/me to GetOwnPartner and /partners/{id} to GetPartner', async () => {
    const operator = { authorization: `Bearer ${await srv.token('operator')}` };
    const partner = { authorization: `Bearer ${await srv.token('partner', undefined, 'par_01kmy3vwq2c6e9h3j7m0p4s8tx')}` };
    // GetOwnPartner admits partners only; GetPartner admits staff only.
    expect((await fetch(`${srv.url}/partners/me`, { headers: operator })).status).toBe(403);
    expect((await fetch(`${srv.url}/partners/me`, { headers: partner })).status).toBe(404);
    expect((await fetch(`${srv.url}/partners/x`, { headers: partner })).status).toBe(403);
    expect((await fetch(`${srv.url}/partners/par_01kmy3vwq2c6e9h3j7m0p4s8tx`, { headers: operator })).status).toBe(404);
    const lines = srv.log.filter((l) => l.includes('/partners/'));
    expect(lines.filter((l) => l.startsWith('[http] GET /partners/me '))).toHaveLength(2);
    expect(lines.filter((l) => l.startsWith('[http] GET /partners/{id} '))).toHaveLength(2);
  });

  it('refuses a body over 6 MB with 413 from its declared length, without reading it', async () => {
    const raw = await new Promise<string>((done, fail) => {
      const socket = connect(srv.server.port, '127.0.0.1', () => {
        socket.write(
          [
            'POST /etds HTTP/1.1',
            `Host: 127.0.0.1:${srv.server.port}`,
            'Content-Type: application/json',
            `Content-Length: ${6 * 1024 * 1024 + 1}`,
            '',
            '',
          ].join('\r\n'),
        );
      });
      let data = '';
      socket.on('data', (c: Buffer) => (data += c.toString()));
      socket.once('close', () => done(data));
      socket.once('error', fail);
      socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 413 /);
    expect(raw).toMatch(/content-type: application\/problem\+json/i);
    expect(raw).toContain('"status":413');
  });

  it('answers 500 problem+json when a handler module cannot be loaded, and keeps serving', async () => {
    const route: RouteDef = {
      method: 'GET',
      path: '/ghost',
      fn: 'Ghost',
      handler: 'functions/nowhere/handlers/ghost.ts',
      auth: 'public',
      tables: {},
      summary: '',
      tag: '',
    };
    const lines: string[] = [];
    const ghost = await createLocalServer({ signingKey: srv.key, routes: [route], log: (l) => lines.push(l) });
    try {
      const response = await fetch(`${ghost.url}/ghost`);
      expect(response.status).toBe(500);
      expect(await problemOf(response)).toMatchObject({ status: 500, title: 'Internal error' });
      expect(lines.some((l) => l.includes('handler Ghost failed'))).toBe(true);
      expect((await fetch(`${ghost.url}/ghost`)).status).toBe(500);
    } finally {
      await ghost.close();
    }
  });
});

describe('no lost request, no orphan JVM', () => {
  it('close() stops accepting but lets a request in flight finish', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oui-slow-'));
    try {
      const handler = join(dir, 'slow.ts');
      writeFileSync(
        handler,
        "export const handler = async () => { await new Promise((r) => setTimeout(r, 300)); return { statusCode: 200, body: 'done' }; };\n",
      );
      const route: RouteDef = { method: 'POST', path: '/slow', fn: 'Slow', handler, auth: 'public', tables: {}, summary: '', tag: '' };
      const server = await createLocalServer({ verifier: async () => ({}), routes: [route], log: () => {} });
      const pending = fetch(`${server.url}/slow`, { method: 'POST' });
      while (server.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
      const closed = server.close();
      const response = await pending;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('done');
      await closed;
      await expect(fetch(`${server.url}/slow`, { method: 'POST' })).rejects.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kills DynamoDB Local when its process dies of an uncaught error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oui-crash-'));
    try {
      const script = join(dir, 'crash.ts');
      const module = join(REPO_ROOT, 'infra/local/dynamodb-local.ts');
      writeFileSync(
        script,
        `import { startDynamoDbLocal } from ${JSON.stringify(module)};\nconst ddb = await startDynamoDbLocal();\nconsole.log('pid', ddb.pid);\nsetTimeout(() => { throw new Error('boom'); }, 10);\n`,
      );
      const result = await run(process.execPath, [script], {});
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('boom');
      const pid = Number(/pid (\d+)/.exec(result.stdout)?.[1]);
      expect(pid).toBeGreaterThan(0);
      expect(await exited(pid)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm start, npm run token, npm run invoke (child processes)', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;
  let output = '';
  let exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  let port: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'oui-start-'));
    // As an older version left it: world-readable, which the start must mend.
    chmodSync(dataDir, 0o755);
    mkdirSync(join(dataDir, 'outbox'), { mode: 0o755 });
    writeFileSync(join(dataDir, 'outbox', 'old.eml'), 'To: client@example.com\n', { mode: 0o644 });
    port = await freePort();
    // Its own process group: the stop signal reaches npm, sh and node as a Ctrl-C would.
    child = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), SEED: 'none' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const started = child;
    exit = new Promise((done) => started.once('exit', (code, signal) => done({ code, signal })));
    started.stdout?.on('data', (c: Buffer) => (output += c.toString()));
    started.stderr?.on('data', (c: Buffer) => (output += c.toString()));
    await new Promise<void>((ready, fail) => {
      const timer = setTimeout(() => fail(new Error(`npm start did not print its banner:\n${output}`)), 90_000);
      const check = () => {
        if (output.includes('Stop: Ctrl-C')) {
          clearTimeout(timer);
          ready();
        }
      };
      started.stdout?.on('data', check);
      void exit.then(({ code }) => {
        clearTimeout(timer);
        fail(new Error(`npm start exited (${code}) before its banner:\n${output}`));
      });
    });
  });

  afterAll(async () => {
    const info = existsSync(join(dataDir, 'runtime.json'))
      ? (JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { ddbPid?: number })
      : {};
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    if (info.ddbPid && isAlive(info.ddbPid)) process.kill(info.ddbPid, 'SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints a banner with the URL, the data directory and how to get a token, and answers /health', async () => {
    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toContain(dataDir);
    expect(output).toContain('npm run -s token -- --role operator');
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('keeps the data directory and its secrets readable by their owner only', () => {
    const mode = (...path: string[]) => (statSync(join(dataDir, ...path)).mode & 0o777).toString(8);
    expect(mode()).toBe('700');
    expect(mode('runtime.json')).toBe('600');
    expect(JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')).stripe.webhookSecret).toMatch(/^whsec_/);
    expect(mode('outbox')).toBe('700');
    expect(mode('outbox', 'old.eml')).toBe('600');
    expect(mode('dynamodb')).toBe('700');
    for (const file of readdirSync(join(dataDir, 'dynamodb')))
      expect({ file, mode: mode('dynamodb', file) }).toEqual({ file, mode: '600' });
    expect(mode('keys')).toBe('700');
  });

  it('npm run token prints exactly one JWT line, which the server accepts', async () => {
    const result = await run(process.execPath, ['scripts/token.ts', '--role', 'manager', '--etd', '44'], { DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(JWT);
    const response = await fetch(`http://127.0.0.1:${port}/etds`, { headers: { authorization: `Bearer ${lines[0]}` } });
    expect(response.status).toBe(200);

    const bad = await run(process.execPath, ['scripts/token.ts', '--role', 'admin'], { DATA_DIR: dataDir });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/unknown role/);
  });

  it('npm run invoke runs Health on its sample event against the running database', async () => {
    const result = await run('npm', ['run', '-s', 'invoke', '--', 'Health', 'events/apigw/health.json'], { DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/running back office/);
    expect(result.stdout).toMatch(/"statusCode": 200/);
    expect(result.stdout).toMatch(/"status": "ok"/);
  });

  it('stops on SIGTERM with exit code 0, leaving no Java process and no runtime.json', async () => {
    const info = JSON.parse(readFileSync(join(dataDir, 'runtime.json'), 'utf8')) as { pid: number; ddbPid: number; url: string };
    expect(info.url).toBe(`http://127.0.0.1:${port}`);
    expect(isAlive(info.ddbPid)).toBe(true);
    // As a service manager or `kill <pid>` would (a terminal's Ctrl-C also signals npm, which then
    // exits 130/143 by itself whatever the server does).
    process.kill(info.pid, 'SIGTERM');
    const { code } = await exit;
    expect(code, output).toBe(0);
    expect(output).toContain('Stopped.');
    expect(await exited(info.pid)).toBe(true);
    expect(await exited(info.ddbPid)).toBe(true);
    expect(existsSync(join(dataDir, 'runtime.json'))).toBe(false);
  });

  it('npm run invoke starts and stops its own DynamoDB Local when nothing runs', async () => {
    const result = await run('npm', ['run', '-s', 'invoke', '--', 'Health', 'events/apigw/health.json'], { DATA_DIR: dataDir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/started DynamoDB Local/);
    expect(result.stdout).toMatch(/"statusCode": 200/);
    const pid = Number(/DynamoDB Local .*pid (\d+)/.exec(result.stderr)?.[1] ?? 0);
    expect(pid).toBeGreaterThan(0);
    expect(await exited(pid)).toBe(true);
  });
});

describe('signing key shared by the token script and the server', () => {
  it('is created by whichever comes first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oui-key-'));
    try {
      const result = await run(process.execPath, ['scripts/token.ts', '--role', 'operator'], { DATA_DIR: dir });
      expect(result.code).toBe(0);
      const key = await loadOrCreateSigningKey(dir);
      const token = result.stdout.trim();
      expect(token).toMatch(JWT);
      expect(token.split('.')[0]).toBe((await signToken({ role: 'operator' }, key)).split('.')[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('documents and mail of the local runtime (S3 and SES stand-ins)', () => {
  let srv: TestServer;
  const key = 'quotes/44/D-2025-0001.pdf';
  const fileName = 'Devis D-2025-0001 Hélène.pdf';
  const pdf = new TextEncoder().encode('%PDF-1.7\n% devis de test\n%%EOF\n');
  beforeAll(async () => {
    srv = await startLocalTestServer();
    await adapters().documents.put(key, pdf, 'application/pdf');
  });
  afterAll(async () => {
    await srv?.stop();
  });

  it('serves a signed document link as a PDF attachment with its UTF-8 file name', async () => {
    const { url } = await adapters().documents.link(key, { ttlSeconds: 60, fileName });
    expect(url.startsWith(`${srv.url}/_local/documents/`)).toBe(true);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="Devis D-2025-0001 Helene.pdf"; filename*=UTF-8''Devis%20D-2025-0001%20H%C3%A9l%C3%A8ne.pdf`,
    );
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(pdf);
    // The request log names the route template, never the key.
    expect(srv.log.some((line) => line.includes('GET /_local/documents/{key+} 200'))).toBe(true);
    expect(srv.log.join('\n')).not.toContain('D-2025-0001');
  });

  it('refuses an expired link with a short French page (403)', async () => {
    const expired = documentLink(srv.dataDir, srv.url, key, Math.floor(Date.now() / 1000) - 1, fileName);
    const response = await fetch(expired);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('Ce lien a expiré');
  });

  it('refuses a tampered link (403), whatever was changed', async () => {
    const { url } = await adapters().documents.link(key, { ttlSeconds: 60, fileName });
    for (const [param, value] of [
      ['name', 'autre.pdf'],
      ['expires', String(Math.floor(Date.now() / 1000) + 86_400)],
      ['signature', 'x'],
    ]) {
      const tampered = new URL(url);
      tampered.searchParams.set(param!, value!);
      const response = await fetch(tampered);
      expect(response.status, param).toBe(403);
      expect(await response.text()).toContain('n’est pas valide');
    }
    const otherKey = new URL(url);
    otherKey.pathname = '/_local/documents/quotes/44/D-2025-0002.pdf';
    expect((await fetch(otherKey)).status).toBe(403);
  });

  it('answers 404 for a validly signed link to a document that does not exist', async () => {
    const response = await fetch(documentLink(srv.dataDir, srv.url, 'quotes/44/none.pdf', Math.floor(Date.now() / 1000) + 60, 'x.pdf'));
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('introuvable');
  });

  it('puts e-mail in the outbox, where the test reads the link back', async () => {
    const { url } = await adapters().documents.link(key, { ttlSeconds: 60, fileName });
    const { messageId } = await adapters().mailer.send({
      to: 'client@example.test',
      subject: 'Votre devis D-2025-0001 – Oui Ensemble',
      text: `Bonjour,\n\nVotre devis : ${url}\n`,
      html: `<p><a href="${url}">Votre devis</a></p>`,
    });
    const sent = srv.outbox();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ messageId, to: 'client@example.test', subject: 'Votre devis D-2025-0001 – Oui Ensemble' });
    expect(sent[0]!.from).toContain('ne-pas-repondre@oui-ensemble.fr');
    const link = /https?:\/\/\S+/.exec(sent[0]!.text)?.[0];
    expect(link).toBe(url);
    expect((await fetch(link!)).status).toBe(200);
  });
});
