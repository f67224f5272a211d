import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { secrets, type SecretKey } from '../../functions/routes.ts';
import { CLAIM_ENTITY, CLAIM_ETD } from '../../functions/shared/auth.ts';
import { roles } from '../../functions/shared/roles.ts';
import { tableList, tables, type TableKey } from '../../functions/tables.ts';
import { logicalId, resourcesOf, synthesized } from './synth.ts';

describe('stateful stack: tables', () => {
  const { stateful, statefulTemplate: template } = synthesized();

  it('has one table per definition of functions/tables.ts, and no other', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', tableList.length);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
  });

  for (const key of Object.keys(tables) as TableKey[]) {
    const def = tables[key];
    it(`${def.id}: keys, GSIs and TTL come from its definition`, () => {
      const id = logicalId(stateful, stateful.tables[key]);
      const props = template.toJSON().Resources[id].Properties;
      const keySchema = (pk: { name: string }, sk?: { name: string }) => [
        { AttributeName: pk.name, KeyType: 'HASH' },
        ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' }] : []),
      ];
      expect(props.KeySchema).toEqual(keySchema(def.partitionKey, 'sortKey' in def ? def.sortKey : undefined));
      // CloudFormation leaves the property out when a table has no index.
      expect(props.GlobalSecondaryIndexes ?? []).toEqual(
        def.indexes.map((index) => ({
          IndexName: index.indexName,
          KeySchema: keySchema(index.partitionKey, 'sortKey' in index ? index.sortKey : undefined),
          Projection: { ProjectionType: 'ALL' },
        })),
      );
      const ttl = 'timeToLiveAttribute' in def ? def.timeToLiveAttribute : undefined;
      expect(props.TimeToLiveSpecification).toEqual(ttl ? { AttributeName: ttl, Enabled: true } : undefined);
    });

    it(`${def.id}: on demand, PITR, deletion protection, encrypted, retained`, () => {
      const id = logicalId(stateful, stateful.tables[key]);
      const table = template.toJSON().Resources[id];
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(table.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
      expect(table.Properties.Replicas).toHaveLength(1);
      expect(table.Properties.Replicas[0]).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });
  }
});

describe('stateful stack: documents bucket', () => {
  const { stateful, statefulTemplate: template } = synthesized();
  const documents = logicalId(stateful, stateful.documentsBucket);
  const logs = logicalId(stateful, stateful.accessLogsBucket);

  it('is private, versioned, S3-encrypted, logged to the access-log bucket and retained', () => {
    const bucket = template.toJSON().Resources[documents];
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { DestinationBucketName: { Ref: logs } },
    });
  });

  it.each([
    ['documents', documents],
    ['access logs', logs],
  ])('the %s bucket denies requests without TLS and blocks public access', (_name, id) => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
    expect(template.toJSON().Resources[id].Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('lets S3 log delivery write to the access-log bucket only for the documents bucket', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logs },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: Match.objectLike({ ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [documents, 'Arn'] } } }),
          }),
        ]),
      },
    });
  });
});

describe('stateful stack: user pool', () => {
  const { stateful, statefulTemplate: template } = synthesized();
  const pool = logicalId(stateful, stateful.userPool);

  it('admits no self sign-up, asks strong passwords and MFA, and is retained', () => {
    const resource = template.toJSON().Resources[pool];
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.Properties).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      DeletionProtection: 'ACTIVE',
      MfaConfiguration: 'ON',
      Policies: {
        PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true },
      },
    });
  });

  it('keeps standard attributes to the e-mail and declares the custom ETD attribute behind the claim', () => {
    const schema = template.toJSON().Resources[pool].Properties.Schema as { Name: string }[];
    expect(schema.map((a) => a.Name).sort()).toEqual(
      ['email', CLAIM_ETD.replace('custom:', ''), CLAIM_ENTITY.replace('custom:', '')].sort(),
    );
    expect(schema).toContainEqual(expect.objectContaining({ Name: 'etd', AttributeDataType: 'String', Mutable: true }));
  });

  it('has one group per role and no other', () => {
    template.resourceCountIs('AWS::Cognito::UserPoolGroup', roles.length);
    for (const role of roles) {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: role, UserPoolId: { Ref: pool } });
    }
  });

  it('has a public console client (no secret, SRP) that reads but cannot write the ETD', () => {
    const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const props = clients[0]![1].Properties;
    expect(props.GenerateSecret).toBe(false);
    expect(props.ExplicitAuthFlows).toEqual(expect.arrayContaining(['ALLOW_USER_SRP_AUTH']));
    expect(props.ExplicitAuthFlows).not.toContain('ALLOW_ADMIN_USER_PASSWORD_AUTH');
    expect(props.ReadAttributes).toContain(CLAIM_ETD);
    expect(props.ReadAttributes).toContain(CLAIM_ENTITY);
    expect(props.WriteAttributes).toBeDefined();
    // The territory and the record a login acts as are set by administrators, never by the user.
    expect(props.WriteAttributes).not.toContain(CLAIM_ETD);
    expect(props.WriteAttributes).not.toContain(CLAIM_ENTITY);
  });
});

describe('stateful stack: secrets and mail identity', () => {
  const { stateful, statefulTemplate: template } = synthesized();

  it('has one retained secret per key of routes.ts `secrets` (ours generated, Stripe’s a placeholder for the operators), and no other', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', Object.keys(secrets).length);
    for (const key of Object.keys(secrets) as SecretKey[]) {
      const secret = template.toJSON().Resources[logicalId(stateful, stateful.secrets[key])];
      expect(secret.DeletionPolicy).toBe('Retain');
      expect(secret.UpdateReplacePolicy).toBe('Retain');
      expect(secret.Properties.SecretString).toBeUndefined(); // never a value in the template
      if (secrets[key].generated) {
        expect(secret.Properties.GenerateSecretString.PasswordLength).toBeGreaterThanOrEqual(48);
        expect(secret.Properties.GenerateSecretString).toMatchObject({ ExcludePunctuation: true, IncludeSpace: false });
      } else {
        // A random placeholder (CloudFormation's default) until the operators put Stripe's value.
        expect(secret.Properties.Description).toContain('set its value after the first deploy');
      }
      expect(secret.Properties.Description).toContain(secrets[key].envVar);
    }
  });

  it('verifies the sending domain in SES (default oui-ensemble.fr) and outputs its DKIM records', () => {
    template.resourceCountIs('AWS::SES::EmailIdentity', 1);
    template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'oui-ensemble.fr' });
    expect(Object.keys(template.toJSON().Outputs).filter((o) => o.startsWith('MailDkimRecord'))).toHaveLength(3);
  });
});
