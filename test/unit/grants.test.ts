/** The grant model (functions/grants.ts): what each kind of entry grants, and nothing else. */
import { describe, expect, it } from 'vitest';
import {
  allowsDynamo,
  DYNAMODB_READ_ACTIONS,
  DYNAMODB_WRITE_ACTIONS,
  GRANT_CONTROLLED_VARIABLES,
  grantsOf,
  type GrantSource,
} from '../../functions/grants.ts';
import { jobs } from '../../functions/jobs.ts';
import { routes } from '../../functions/routes.ts';
import { DYNAMODB_READ_ACTIONS as CDK_READ, DYNAMODB_WRITE_ACTIONS as CDK_WRITE } from '../../infra/constructs/function.ts';

const READ = [...DYNAMODB_READ_ACTIONS];
const WRITE = [...DYNAMODB_READ_ACTIONS, ...DYNAMODB_WRITE_ACTIONS];

describe('grantsOf', () => {
  const cases: { name: string; def: GrantSource; tables: unknown; environment: string[]; local: string[] }[] = [
    {
      name: 'nothing',
      def: { fn: 'OpenApi', tables: {} },
      tables: [],
      environment: [],
      local: [],
    },
    {
      name: 'describe only: DescribeTable on the table, not its indexes',
      def: { fn: 'Health', tables: { directory: 'describe' } },
      tables: [
        {
          table: 'directory',
          access: 'describe',
          envVar: 'TABLE_DIRECTORY',
          statement: { table: 'directory', actions: ['dynamodb:DescribeTable'], resources: ['table'] },
        },
      ],
      environment: ['TABLE_DIRECTORY'],
      local: ['TABLE_DIRECTORY'],
    },
    {
      name: 'one index: Query on it only',
      def: { fn: 'PublicEntrepreneurs', tables: { directory: { queryIndex: 'gsi2' } } },
      tables: [
        {
          table: 'directory',
          access: { queryIndex: 'gsi2' },
          envVar: 'TABLE_DIRECTORY',
          statement: { table: 'directory', actions: ['dynamodb:Query'], resources: ['index/gsi2'] },
        },
      ],
      environment: ['TABLE_DIRECTORY'],
      local: ['TABLE_DIRECTORY'],
    },
    {
      name: 'read and write on two tables, in the order of the entry',
      def: { fn: 'CreateQuote', tables: { sales: 'write', directory: 'read' } },
      tables: [
        {
          table: 'sales',
          access: 'write',
          envVar: 'TABLE_SALES',
          statement: { table: 'sales', actions: WRITE, resources: ['table', 'index/*'] },
        },
        {
          table: 'directory',
          access: 'read',
          envVar: 'TABLE_DIRECTORY',
          statement: { table: 'directory', actions: READ, resources: ['table', 'index/*'] },
        },
      ],
      environment: ['TABLE_SALES', 'TABLE_DIRECTORY'],
      local: ['TABLE_SALES', 'TABLE_DIRECTORY'],
    },
    {
      name: 'every capability: bucket, mail, secrets (ARN in the cloud, value offline), PDF assets',
      def: {
        fn: 'SendQuote',
        tables: { sales: 'write' },
        documents: 'write',
        mail: true,
        pdf: true,
        secrets: ['linkSigningKey', 'stripeSecretKey'],
      },
      tables: [
        {
          table: 'sales',
          access: 'write',
          envVar: 'TABLE_SALES',
          statement: { table: 'sales', actions: WRITE, resources: ['table', 'index/*'] },
        },
      ],
      environment: [
        'TABLE_SALES',
        'DOCUMENTS_BUCKET',
        'MAIL_FROM',
        'SECRET_LINK_SIGNING_KEY_ID',
        'SECRET_STRIPE_SECRET_KEY_ID',
        'PDF_ASSETS_DIR',
      ],
      local: [
        'TABLE_SALES',
        'DOCUMENTS_BUCKET',
        'MAIL_FROM',
        'SECRET_LINK_SIGNING_KEY_ID',
        'SECRET_STRIPE_SECRET_KEY_ID',
        'PDF_ASSETS_DIR',
        'LINK_SIGNING_KEY',
        'STRIPE_SECRET_KEY',
      ],
    },
  ];
  it.each(cases)('$name', ({ def, tables, environment, local }) => {
    const grants = grantsOf(def);
    expect(grants.fn).toBe(def.fn);
    expect(grants.tables).toEqual(tables);
    expect(grants.environment).toEqual(environment);
    expect(grants.localEnvironment).toEqual(local);
  });

  it('documents: read gets objects only, write also puts them; never list or delete', () => {
    expect(grantsOf({ fn: 'a', tables: {}, documents: 'read' }).documents).toEqual({
      access: 'read',
      actions: ['s3:GetObject'],
      envVar: 'DOCUMENTS_BUCKET',
    });
    expect(grantsOf({ fn: 'a', tables: {}, documents: 'write' }).documents).toEqual({
      access: 'write',
      actions: ['s3:GetObject', 's3:PutObject'],
      envVar: 'DOCUMENTS_BUCKET',
    });
    expect(grantsOf({ fn: 'a', tables: {} }).documents).toBeUndefined();
  });

  it('mail is ses:SendEmail with MAIL_FROM; secrets are read through SECRET_<VAR>_ID', () => {
    const grants = grantsOf({ fn: 'a', tables: {}, mail: true, secrets: ['stripeWebhookSecret'] });
    expect(grants.mail).toEqual({ actions: ['ses:SendEmail'], envVar: 'MAIL_FROM' });
    expect(grants.secrets).toEqual([
      {
        key: 'stripeWebhookSecret',
        envVar: 'STRIPE_WEBHOOK_SECRET',
        idEnvVar: 'SECRET_STRIPE_WEBHOOK_SECRET_ID',
        actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      },
    ]);
    expect(grantsOf({ fn: 'a', tables: {}, mail: false }).mail).toBeUndefined();
  });

  it('the CDK construct uses the same action lists', () => {
    expect(CDK_READ).toBe(DYNAMODB_READ_ACTIONS);
    expect(CDK_WRITE).toBe(DYNAMODB_WRITE_ACTIONS);
  });

  it('covers every route and job, each receiving only controlled variables it is granted', () => {
    for (const def of [...routes, ...jobs] as GrantSource[]) {
      const grants = grantsOf(def);
      for (const name of grants.localEnvironment) expect(GRANT_CONTROLLED_VARIABLES).toContain(name);
      expect(grants.tables.map((t) => t.table).sort()).toEqual(Object.keys(def.tables).sort());
    }
  });
});

describe('allowsDynamo (IAM semantics on the statements)', () => {
  const write = grantsOf({ fn: 'w', tables: { sales: 'write' } });
  const read = grantsOf({ fn: 'r', tables: { sales: 'read' } });
  const index = grantsOf({ fn: 'i', tables: { directory: { queryIndex: 'gsi2' } } });
  const describeOnly = grantsOf({ fn: 'd', tables: { directory: 'describe' } });
  it.each([
    [write, 'dynamodb:PutItem', 'sales', 'table', true],
    [write, 'dynamodb:Query', 'sales', 'index/gsi1', true],
    [write, 'dynamodb:Scan', 'sales', 'table', false],
    [write, 'dynamodb:BatchWriteItem', 'sales', 'table', false],
    [write, 'dynamodb:GetItem', 'directory', 'table', false],
    [read, 'dynamodb:GetItem', 'sales', 'table', true],
    [read, 'dynamodb:PutItem', 'sales', 'table', false],
    [read, 'dynamodb:ConditionCheckItem', 'sales', 'table', false],
    [index, 'dynamodb:Query', 'directory', 'index/gsi2', true],
    [index, 'dynamodb:Query', 'directory', 'index/gsi1', false],
    [index, 'dynamodb:Query', 'directory', 'table', false],
    [index, 'dynamodb:GetItem', 'directory', 'table', false],
    [describeOnly, 'dynamodb:DescribeTable', 'directory', 'table', true],
    [describeOnly, 'dynamodb:GetItem', 'directory', 'table', false],
  ] as const)('%#: %s %s on %s/%s → %s', (grants, action, table, resource, allowed) => {
    expect(allowsDynamo(grants, action, table, resource)).toBe(allowed);
  });
});
