/**
 * DynamoDB Local is reachable from this machine only (bound to 127.0.0.1, as `ss -ltn` and
 * /proc/net/tcp show), no web page may call it from a browser (empty CORS allow-list), and its
 * database files are readable by their owner only.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { startDynamoDbLocal } from '../../infra/local/dynamodb-local.ts';
import { listeningAddresses } from '../support/listening.ts';

const portOf = (endpoint: string): number => Number(new URL(endpoint).port);

/** The local addresses `ss -ltn` shows for a port; undefined where ss is not installed. */
function ssAddresses(port: number): string[] | undefined {
  let text: string;
  try {
    text = execFileSync('ss', ['-ltnH'], { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[3] ?? '')
    .filter((local) => local.endsWith(`:${port}`))
    .map((local) => local.slice(0, local.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1'));
}

function tryConnect(host: string, port: number): Promise<'connected' | string> {
  return new Promise((done) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      done('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      done('timeout');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

describe('DynamoDB Local is reachable from this machine only', () => {
  it('the reading of /proc/net/tcp and ss tells a socket on every interface from one on 127.0.0.1', async () => {
    const open = createServer();
    await new Promise<void>((ok) => open.listen(0, '0.0.0.0', ok));
    try {
      const port = (open.address() as { port: number }).port;
      expect(listeningAddresses(port)).toEqual(['0.0.0.0']);
      const ss = ssAddresses(port);
      if (ss) expect(ss).toEqual(['0.0.0.0']);
    } finally {
      await new Promise((ok) => open.close(ok));
    }
  });

  it('listens on 127.0.0.1 and nowhere else (ss -ltn, /proc/net/tcp and tcp6)', () => {
    const port = portOf(inject('ddbEndpoint'));
    expect(listeningAddresses(port)).toEqual(['127.0.0.1']);
    const ss = ssAddresses(port);
    if (ss) expect(ss).toEqual(['127.0.0.1']);
  });

  it('refuses a connection on the other addresses of this machine', async () => {
    const port = portOf(inject('ddbEndpoint'));
    expect(await tryConnect('127.0.0.1', port)).toBe('connected');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of others) expect(await tryConnect(address, port)).toBe('ECONNREFUSED');
  });

  it('gives no browser origin access (empty CORS allow-list instead of *)', async () => {
    const endpoint = inject('ddbEndpoint');
    const preflight = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://attacker.example',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type,x-amz-target',
      },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    for (const origin of ['http://attacker.example', 'http://127.0.0.1', 'null']) {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          Origin: origin,
          'Content-Type': 'application/x-amz-json-1.0',
          'X-Amz-Target': 'DynamoDB_20120810.ListTables',
          Authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/eu-west-3/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
        },
        body: '{}',
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('DynamoDB Local on a data directory', () => {
  it('keeps its directory 0700 and its database files 0600, and leaves no JVM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oui-ddb-private-'));
    const dataDir = join(dir, 'dynamodb');
    const ddb = await startDynamoDbLocal({ dataDir });
    try {
      const client = new DynamoDBClient({
        endpoint: ddb.endpoint,
        region: 'eu-west-3',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      });
      await client.send(
        new CreateTableCommand({
          TableName: 'privacy',
          AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
      client.destroy();
      expect(listeningAddresses(ddb.port)).toEqual(['127.0.0.1']);
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      const files = readdirSync(dataDir);
      expect(files.some((f) => f.endsWith('.db'))).toBe(true);
      for (const file of files)
        expect({ file, mode: (statSync(join(dataDir, file)).mode & 0o777).toString(8) }).toEqual({ file, mode: '600' });
    } finally {
      await ddb.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => process.kill(ddb.pid, 0)).toThrow();
  });
});
