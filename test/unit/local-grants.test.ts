/**
 * Offline grant enforcement (infra/local/grants.ts): DynamoDB calls, the environment and the local
 * adapters, inside and outside a function. No DynamoDB here: a last middleware answers in place of
 * the network, so only the grant check decides.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand, DynamoDBServiceException, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactGetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GrantSource } from '../../functions/grants.ts';
import { cloudAdapters } from '../../functions/shared/cloud-adapters.ts';
import { documentClient, dynamoClient, tableName } from '../../functions/shared/dynamo.ts';
import { localAdapters } from '../../infra/local/adapters.ts';
import { invokeHandler } from '../../infra/local/apigw.ts';
import { loadPdfAssets, pdfAssetsDir } from '../../functions/shared/pdf/assets.ts';
import {
  currentGrantContext,
  LOCAL_PDF_ASSETS_DIR,
  dynamoRequests,
  installGrantEnforcement,
  onGrantDenied,
  runWithGrants,
  type GrantDenial,
} from '../../infra/local/grants.ts';

const SALES = 'unit-Sales';
const DIRECTORY = 'unit-Directory';
const IDEMPOTENCY = 'unit-Idempotency';
let dataDir: string;

beforeAll(() => {
  Object.assign(process.env, {
    TABLE_SALES: SALES,
    TABLE_DIRECTORY: DIRECTORY,
    TABLE_IDEMPOTENCY: IDEMPOTENCY,
    LINK_SIGNING_KEY: 'k'.repeat(32),
    MAIL_FROM: 'Oui <a@b.fr>',
    DOCUMENTS_BUCKET: 'bucket',
  });
  installGrantEnforcement();
  // In place of the network: an empty answer, reached only when the grant check let the call through.
  documentClient().middlewareStack.add(() => async () => ({ output: { $metadata: {} }, response: {} }), {
    step: 'initialize',
    priority: 'low',
    name: 'unitNoNetwork',
  });
  dataDir = mkdtempSync(join(tmpdir(), 'oui-grants-'));
});
afterAll(() => {
  documentClient().middlewareStack.remove('unitNoNetwork');
  rmSync(dataDir, { recursive: true, force: true });
});

const as = <T>(def: GrantSource, run: () => Promise<T>) => runWithGrants(def, run);
const send = (command: any) => documentClient().send(command);

async function refusal(run: () => Promise<unknown>): Promise<DynamoDBServiceException> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'the call should have been refused').toBeInstanceOf(DynamoDBServiceException);
  return error as DynamoDBServiceException;
}

describe('DynamoDB: each command mapped to its IAM action and resource', () => {
  const key = { pk: 'a', sk: 'b' };
  const writer: GrantSource = { fn: 'Writer', tables: { sales: 'write' } };
  const reader: GrantSource = { fn: 'Reader', tables: { sales: 'read', directory: 'read' } };
  const indexOnly: GrantSource = { fn: 'IndexOnly', tables: { directory: { queryIndex: 'gsi2' } } };
  const describer: GrantSource = { fn: 'Describer', tables: { directory: 'describe' } };
  const put = { Put: { TableName: SALES, Item: key } };
  const update = { Update: { TableName: SALES, Key: key, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': 1 } } };
  const del = { Delete: { TableName: SALES, Key: key } };
  const check = { ConditionCheck: { TableName: SALES, Key: key, ConditionExpression: 'attribute_exists(pk)' } };

  const cases: [string, GrantSource, () => unknown, string | undefined][] = [
    ['GetItem by a reader', reader, () => new GetCommand({ TableName: SALES, Key: key }), undefined],
    [
      'Query on the table by a reader',
      reader,
      () => new QueryCommand({ TableName: SALES, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a' } }),
      undefined,
    ],
    [
      'Query on an index by a reader',
      reader,
      () =>
        new QueryCommand({
          TableName: SALES,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': 'a' },
        }),
      undefined,
    ],
    ['DescribeTable by a reader', reader, () => new DescribeTableCommand({ TableName: DIRECTORY }), undefined],
    [
      'PutItem by a reader',
      reader,
      () => new PutCommand({ TableName: SALES, Item: key }),
      `dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-3:000000000000:table/${SALES}`,
    ],
    ['UpdateItem by a reader', reader, () => new UpdateCommand(update.Update), 'dynamodb:UpdateItem'],
    ['DeleteItem by a reader', reader, () => new DeleteCommand({ TableName: SALES, Key: key }), 'dynamodb:DeleteItem'],
    ['PutItem by a writer', writer, () => new PutCommand({ TableName: SALES, Item: key }), undefined],
    ['UpdateItem by a writer', writer, () => new UpdateCommand(update.Update), undefined],
    ['DeleteItem by a writer', writer, () => new DeleteCommand({ TableName: SALES, Key: key }), undefined],
    [
      'GetItem on a table not granted',
      writer,
      () => new GetCommand({ TableName: DIRECTORY, Key: key }),
      `dynamodb:GetItem on resource: arn:aws:dynamodb:eu-west-3:000000000000:table/${DIRECTORY}`,
    ],
    ['GetItem on an unknown table', writer, () => new GetCommand({ TableName: 'elsewhere', Key: key }), 'table/elsewhere'],
    [
      'TransactWriteItems of every kind by a writer',
      writer,
      () => new TransactWriteCommand({ TransactItems: [put, update, del, check] }),
      undefined,
    ],
    ['TransactWriteItems with a Put by a reader', reader, () => new TransactWriteCommand({ TransactItems: [put] }), 'dynamodb:PutItem'],
    [
      'TransactWriteItems with an Update by a reader',
      reader,
      () => new TransactWriteCommand({ TransactItems: [update] }),
      'dynamodb:UpdateItem',
    ],
    [
      'TransactWriteItems with a Delete by a reader',
      reader,
      () => new TransactWriteCommand({ TransactItems: [del] }),
      'dynamodb:DeleteItem',
    ],
    [
      'TransactWriteItems with a ConditionCheck by a reader',
      reader,
      () => new TransactWriteCommand({ TransactItems: [check] }),
      'dynamodb:ConditionCheckItem',
    ],
    [
      'TransactWriteItems touching a table not granted',
      writer,
      () => new TransactWriteCommand({ TransactItems: [put, { Put: { TableName: DIRECTORY, Item: key } }] }),
      `table/${DIRECTORY} because`,
    ],
    [
      'TransactGetItems by a reader',
      reader,
      () => new TransactGetCommand({ TransactItems: [{ Get: { TableName: SALES, Key: key } }] }),
      undefined,
    ],
    [
      'TransactGetItems on a table not granted',
      writer,
      () => new TransactGetCommand({ TransactItems: [{ Get: { TableName: DIRECTORY, Key: key } }] }),
      'dynamodb:GetItem',
    ],
    [
      'BatchGetItem (never granted)',
      writer,
      () => new BatchGetCommand({ RequestItems: { [SALES]: { Keys: [key] } } }),
      'dynamodb:BatchGetItem',
    ],
    [
      'BatchWriteItem (never granted)',
      writer,
      () => new BatchWriteCommand({ RequestItems: { [SALES]: [{ PutRequest: { Item: key } }] } }),
      'dynamodb:BatchWriteItem',
    ],
    ['Scan (never granted)', writer, () => new ScanCommand({ TableName: SALES }), 'dynamodb:Scan'],
    [
      'Query on the granted index',
      indexOnly,
      () =>
        new QueryCommand({
          TableName: DIRECTORY,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p',
          ExpressionAttributeValues: { ':p': 'a' },
        }),
      undefined,
    ],
    [
      'Query on another index',
      indexOnly,
      () =>
        new QueryCommand({
          TableName: DIRECTORY,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': 'a' },
        }),
      `table/${DIRECTORY}/index/gsi1`,
    ],
    [
      'Query on the table itself with an index grant',
      indexOnly,
      () => new QueryCommand({ TableName: DIRECTORY, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'a' } }),
      'dynamodb:Query',
    ],
    ['DescribeTable with describe', describer, () => new DescribeTableCommand({ TableName: DIRECTORY }), undefined],
    ['GetItem with describe only', describer, () => new GetCommand({ TableName: DIRECTORY, Key: key }), 'dynamodb:GetItem'],
  ];

  it.each(cases)('%s', async (_name, def, command, denied) => {
    if (!denied) {
      await expect(as(def, () => send(command()))).resolves.toBeDefined();
      return;
    }
    const error = await refusal(() => as(def, () => send(command())));
    expect(error.name).toBe('AccessDeniedException');
    expect(error.$fault).toBe('client');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(
      new RegExp(
        `^User: arn:aws:sts::000000000000:assumed-role/${def.fn}-role/${def.fn} is not authorized to perform: dynamodb:\\w+ on resource: arn:aws:dynamodb:eu-west-3:000000000000:table/\\S+ because no identity-based policy allows the dynamodb:\\w+ action$`,
      ),
    );
    expect(error.message).toContain(denied);
  });

  it('gives AWS’s exact message', async () => {
    const error = await refusal(() =>
      as({ fn: 'CreateQuote', tables: { sales: 'read' } }, () => send(new PutCommand({ TableName: SALES, Item: key }))),
    );
    expect(error.message).toBe(
      `User: arn:aws:sts::000000000000:assumed-role/CreateQuote-role/CreateQuote is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-3:000000000000:table/${SALES} because no identity-based policy allows the dynamodb:PutItem action`,
    );
  });

  it('checks the plain client the shared one wraps (Powertools idempotency uses it)', async () => {
    const put = () => dynamoClient().send(new PutItemCommand({ TableName: IDEMPOTENCY, Item: { id: { S: 'x' } } }));
    await expect(as({ fn: 'Webhook', tables: { idempotency: 'write' } }, put)).resolves.toBeDefined();
    expect((await refusal(() => as({ fn: 'Webhook', tables: { sales: 'write' } }, put))).message).toContain(
      `dynamodb:PutItem on resource: arn:aws:dynamodb:eu-west-3:000000000000:table/${IDEMPOTENCY}`,
    );
  });

  it('lets everything through outside a function (the runtime, tests)', async () => {
    expect(currentGrantContext()).toBeUndefined();
    await expect(send(new ScanCommand({ TableName: SALES }))).resolves.toBeDefined();
  });

  it('maps operations to IAM checks', () => {
    expect(dynamoRequests('Query', { TableName: 't', IndexName: 'gsi1' })).toEqual([
      { action: 'dynamodb:Query', tableName: 't', indexName: 'gsi1' },
    ]);
    expect(
      dynamoRequests('TransactWriteItems', { TransactItems: [{ Put: { TableName: 'a' } }, { ConditionCheck: { TableName: 'b' } }] }),
    ).toEqual([
      { action: 'dynamodb:PutItem', tableName: 'a' },
      { action: 'dynamodb:ConditionCheckItem', tableName: 'b' },
    ]);
    expect(dynamoRequests('BatchGetItem', { RequestItems: { a: {}, b: {} } }).map((r) => r.tableName)).toEqual(['a', 'b']);
  });
});

describe('environment', () => {
  const def: GrantSource = { fn: 'ListQuotes', tables: { sales: 'read' }, secrets: ['linkSigningKey'] };

  it('hides inside a function every controlled variable it is not granted, and only those', async () => {
    await as(def, async () => {
      expect(process.env.TABLE_SALES).toBe(SALES);
      expect(process.env.LINK_SIGNING_KEY).toBe('k'.repeat(32));
      expect(process.env.TABLE_DIRECTORY).toBeUndefined();
      expect(process.env.MAIL_FROM).toBeUndefined();
      expect(process.env.DOCUMENTS_BUCKET).toBeUndefined();
      expect('TABLE_DIRECTORY' in process.env).toBe(false);
      expect(Object.keys(process.env)).not.toContain('TABLE_DIRECTORY');
      expect({ ...process.env }.MAIL_FROM).toBeUndefined();
      expect(process.env.AWS_REGION).toBe('eu-west-3');
      expect(tableName('sales')).toBe(SALES);
      expect(() => tableName('directory')).toThrow('TABLE_DIRECTORY is not set');
    });
  });

  it('shows everything outside a function, and writes go to the real environment', async () => {
    expect(process.env.TABLE_DIRECTORY).toBe(DIRECTORY);
    expect(tableName('directory')).toBe(DIRECTORY);
    await as(def, async () => {
      process.env.UNIT_GRANTS_MARK = 'x';
    });
    expect(process.env.UNIT_GRANTS_MARK).toBe('x');
    process.env.UNIT_GRANTS_MARK = 'y';
    process.env.TABLE_SALES = SALES;
    expect(process.env.UNIT_GRANTS_MARK).toBe('y');
    (process.env as Record<string, unknown>).UNIT_GRANTS_NUMBER = 5;
    expect(process.env.UNIT_GRANTS_NUMBER).toBe('5');
    delete process.env.UNIT_GRANTS_MARK;
    delete process.env.UNIT_GRANTS_NUMBER;
    expect('UNIT_GRANTS_MARK' in process.env).toBe(false);
  });

  it('follows the function across awaits, concurrently', async () => {
    const seen = await Promise.all([
      as({ fn: 'A', tables: { sales: 'read' } }, async () => {
        await new Promise((r) => setTimeout(r, 5));
        return [process.env.TABLE_SALES, process.env.TABLE_DIRECTORY];
      }),
      as({ fn: 'B', tables: { directory: 'read' } }, async () => {
        await new Promise((r) => setTimeout(r, 1));
        return [process.env.TABLE_SALES, process.env.TABLE_DIRECTORY];
      }),
    ]);
    expect(seen).toEqual([
      [SALES, undefined],
      [undefined, DIRECTORY],
    ]);
  });

  it('PDF assets: only a function granted `pdf` loads them, even once another loaded them first', async () => {
    const renderer: GrantSource = { fn: 'Renderer', tables: {}, pdf: true };
    const other: GrantSource = { fn: 'NoPdf', tables: {} };
    await as(renderer, async () => expect(loadPdfAssets().logoRatio).toBeGreaterThan(0));
    await as(other, async () => expect(() => loadPdfAssets()).toThrow('PDF_ASSETS_DIR is not set'));
    await as(renderer, async () => expect(pdfAssetsDir()).toBe(LOCAL_PDF_ASSETS_DIR));
  });

  it('invokeHandler runs a handler with the grants of the entry it invokes', async () => {
    const target = { fn: 'Probe', handler: 'test/support/grants-probe-handler.ts', tables: { directory: 'read' as const }, mail: true };
    expect(await invokeHandler(target, { read: ['TABLE_DIRECTORY', 'TABLE_SALES', 'MAIL_FROM', 'LINK_SIGNING_KEY'] })).toEqual({
      visible: ['TABLE_DIRECTORY', 'MAIL_FROM'],
      values: { TABLE_DIRECTORY: DIRECTORY, TABLE_SALES: null, MAIL_FROM: 'Oui <a@b.fr>', LINK_SIGNING_KEY: null },
    });
    const more = (await invokeHandler({ ...target, secrets: ['linkSigningKey'] }, {})) as { visible: string[] };
    expect(more.visible).toEqual(['TABLE_DIRECTORY', 'LINK_SIGNING_KEY', 'MAIL_FROM']);
  });
});

describe('local adapters', () => {
  const adapters = () => localAdapters({ dataDir, publicBaseUrl: 'http://127.0.0.1:1', env: { LINK_SIGNING_KEY: 'k'.repeat(32) } });
  const pdf = new TextEncoder().encode('%PDF-1.7');
  const none: GrantSource = { fn: 'Bare', tables: {} };

  it('secrets: the granted one is read; another fails as the cloud adapter does without its SECRET_…_ID, every call', async () => {
    const local = adapters();
    const granted: GrantSource = { fn: 'GetQuote', tables: {}, secrets: ['linkSigningKey'] };
    await expect(as(granted, () => local.secrets.get('linkSigningKey'))).resolves.toBe('k'.repeat(32));
    const saved = process.env.SECRET_LINK_SIGNING_KEY_ID;
    delete process.env.SECRET_LINK_SIGNING_KEY_ID;
    const cloud = await cloudAdapters()
      .secrets.get('linkSigningKey')
      .then(
        () => undefined,
        (e: Error) => e.message,
      );
    if (saved !== undefined) process.env.SECRET_LINK_SIGNING_KEY_ID = saved;
    expect(cloud).toBe('SECRET_LINK_SIGNING_KEY_ID is not set: the stack grants this capability with its environment variable');
    // Granted once to one function does not make it readable by the next one.
    await expect(as(none, () => local.secrets.get('linkSigningKey'))).rejects.toThrow(cloud!);
    await expect(as(granted, () => local.secrets.get('linkSigningKey'))).resolves.toBe('k'.repeat(32));
    await expect(as(none, () => local.secrets.get('linkSigningKey'))).rejects.toThrow(cloud!);
  });

  it('documents: get and link need read, put needs write', async () => {
    const { documents } = adapters();
    const reader: GrantSource = { fn: 'QuotePdfLink', tables: {}, documents: 'read' };
    const writer: GrantSource = { fn: 'SendQuote', tables: {}, documents: 'write' };
    await expect(as(writer, () => documents.put('q/1.pdf', pdf, 'application/pdf'))).resolves.toMatchObject({ key: 'q/1.pdf' });
    await expect(as(reader, () => documents.get('q/1.pdf'))).resolves.toEqual(pdf);
    await expect(as(reader, () => documents.link('q/1.pdf', { ttlSeconds: 60, fileName: '1.pdf' }))).resolves.toHaveProperty('url');
    const putByReader = await as(reader, () => documents.put('q/2.pdf', pdf, 'application/pdf')).catch((e: Error) => e);
    expect(putByReader).toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining('is not authorized to perform: s3:PutObject on resource'),
    });
    const calls: (() => Promise<unknown>)[] = [
      () => documents.get('q/1.pdf'),
      () => documents.link('q/1.pdf', { ttlSeconds: 60, fileName: '1.pdf' }),
      () => documents.put('q/3.pdf', pdf, 'application/pdf'),
    ];
    for (const call of calls) {
      await expect(as(none, call)).rejects.toThrow('DOCUMENTS_BUCKET is not set');
    }
    await expect(documents.get('q/1.pdf')).resolves.toEqual(pdf);
  });

  it('mail needs `mail`', async () => {
    const { mailer } = adapters();
    const message = { to: 'a@example.org', subject: 'Devis', text: 'Bonjour' };
    await expect(as({ fn: 'SendQuote', tables: {}, mail: true }, () => mailer.send(message))).resolves.toHaveProperty('messageId');
    await expect(as(none, () => mailer.send(message))).rejects.toThrow('MAIL_FROM is not set');
  });

  it('payments: the connection needs stripeSecretKey, the webhook secret stripeWebhookSecret', async () => {
    const local = localAdapters({
      dataDir,
      publicBaseUrl: 'http://127.0.0.1:1',
      env: {},
      stripeStandIn: { port: 1, apiKey: 'sk_test_standin_x', webhookSecret: 'whsec_x' },
    });
    await expect(
      as({ fn: 'StartCheckout', tables: {}, secrets: ['stripeSecretKey'] }, () => local.payments.connection()),
    ).resolves.toHaveProperty('apiKey', 'sk_test_standin_x');
    await expect(
      as({ fn: 'StartCheckout', tables: {}, secrets: ['stripeSecretKey'] }, () => local.payments.webhookSecret()),
    ).rejects.toThrow('SECRET_STRIPE_WEBHOOK_SECRET_ID is not set');
    await expect(as({ fn: 'Hook', tables: {}, secrets: ['stripeWebhookSecret'] }, () => local.payments.webhookSecret())).resolves.toBe(
      'whsec_x',
    );
    await expect(as(none, () => local.payments.connection())).rejects.toThrow('SECRET_STRIPE_SECRET_KEY_ID is not set');
    await expect(local.payments.connection()).resolves.toHaveProperty('apiKey');
  });

  it('reports every refusal to the listeners', async () => {
    const denials: GrantDenial[] = [];
    const stop = onGrantDenied((d) => denials.push(d));
    await as(none, () => adapters().mailer.send({ to: 'a@example.org', subject: 's', text: 't' })).catch(() => undefined);
    await as(none, async () => process.env.TABLE_SALES);
    await as(none, () => send(new GetCommand({ TableName: SALES, Key: { pk: 'a', sk: 'b' } }))).catch(() => undefined);
    stop();
    expect(denials.map((d) => [d.fn, d.kind, d.what])).toEqual([
      ['Bare', 'mail', 'ses:SendEmail'],
      ['Bare', 'environment', 'TABLE_SALES'],
      ['Bare', 'dynamodb', 'dynamodb:GetItem'],
    ]);
  });
});
