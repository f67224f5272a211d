/**
 * What outlives a deployment: the DynamoDB tables (from functions/tables.ts), the private
 * documents bucket and its access-log bucket, and the Cognito user pool whose groups are the
 * roles of functions/shared/roles.ts. Everything here is retained when the stack goes away.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  Mfa,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, StreamViewType, TableEncryptionV2, TableV2, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import { CLAIM_ENTITY, CLAIM_ETD } from '../../functions/shared/auth.ts';
import { secrets as secretDefs, type SecretKey } from '../../functions/routes.ts';
import { roles, type Role } from '../../functions/shared/roles.ts';
import { tables, type KeyDef, type TableKey } from '../../functions/tables.ts';

/** The custom attribute behind the `custom:etd` claim (functions/shared/auth.ts). */
export const ETD_ATTRIBUTE = CLAIM_ETD.replace(/^custom:/, '');
/** The custom attribute behind `custom:entityId`: the entrepreneur or partner record a login acts as. */
export const ENTITY_ATTRIBUTE = CLAIM_ENTITY.replace(/^custom:/, '');

const ROLE_DESCRIPTIONS: Record<Role, string> = {
  operator: 'Network operators: every territory',
  manager: 'Territory managers: their own ETD (custom:etd)',
  entrepreneur: 'Entrepreneurs: their own record and clients within their ETD (custom:etd)',
  partner: 'Partner companies (PIC): their own record',
};

const attribute = (key: KeyDef): Attribute => ({
  name: key.name,
  type: key.type === 'N' ? AttributeType.NUMBER : AttributeType.STRING,
});

export interface StatefulStackProps extends StackProps {
  /** Domain verified in SES as the sending identity (e.g. oui-ensemble.fr). */
  readonly mailDomain: string;
}

/** Construct id of the secret behind a key of routes.ts `secrets` (linkSigningKey → LinkSigningKey). */
export const secretId = (key: SecretKey): string => key.charAt(0).toUpperCase() + key.slice(1);

export class StatefulStack extends Stack {
  readonly tables: Readonly<Record<TableKey, TableV2>>;
  readonly documentsBucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** One Secrets Manager secret per key of routes.ts `secrets`. */
  readonly secrets: Readonly<Record<SecretKey, Secret>>;
  readonly mailIdentity: EmailIdentity;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);

    // One table per definition. Encryption with the AWS managed key (aws/dynamodb): every use
    // is in CloudTrail, and there is no key policy or cross-stack KMS grant to keep in step
    // with the functions; a customer key would only add cross-account control we do not need.
    const built: Partial<Record<TableKey, TableV2>> = {};
    for (const key of Object.keys(tables) as TableKey[]) {
      const def = tables[key];
      const table = new TableV2(this, def.id, {
        partitionKey: attribute(def.partitionKey),
        ...('sortKey' in def && def.sortKey ? { sortKey: attribute(def.sortKey) } : {}),
        globalSecondaryIndexes: def.indexes.map((index) => ({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          ...('sortKey' in index && index.sortKey ? { sortKey: attribute(index.sortKey) } : {}),
        })),
        ...('timeToLiveAttribute' in def && typeof def.timeToLiveAttribute === 'string'
          ? { timeToLiveAttribute: def.timeToLiveAttribute }
          : {}),
        // The sales table's stream carries its domain events to the relay (infra/constructs/events.ts).
        ...('stream' in def && def.stream === 'NEW_IMAGE' ? { dynamoStream: StreamViewType.NEW_IMAGE } : {}),
        billing: Billing.onDemand(),
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
        removalPolicy: RemovalPolicy.RETAIN,
        encryption: TableEncryptionV2.awsManagedKey(),
      });
      built[key] = table;
    }
    this.tables = built as Record<TableKey, TableV2>;

    // Server access logs of the documents bucket (cdk-nag counts a log destination as logged).
    // SSE-S3 is what S3 log delivery supports.
    this.accessLogsBucket = new Bucket(this, 'AccessLogs', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [{ expiration: Duration.days(400), noncurrentVersionExpiration: Duration.days(30) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Issued documents (quotes, invoices as PDF): private, reached only through presigned URLs.
    this.documentsBucket = new Bucket(this, 'Documents', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'documents/',
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Staff, entrepreneurs and partners: accounts are created by administrators only.
    this.userPool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      signInCaseSensitive: false,
      autoVerify: { email: true },
      keepOriginal: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      // Territory of a manager or an entrepreneur. Mutable so administrators can move someone;
      // the app client cannot write it (see writeAttributes below).
      customAttributes: {
        [ETD_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }),
        [ENTITY_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 64, mutable: true }),
      },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      // The pool guards personal data and money: a second factor for everyone, by TOTP app.
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: 'Votre accès au back-office Oui Ensemble',
        emailBody: 'Bonjour, votre identifiant est {username} et votre mot de passe provisoire {####}. Il est valable 3 jours.',
      },
      userVerification: {
        emailSubject: 'Oui Ensemble : vérification de votre adresse e-mail',
        emailBody: 'Votre code de vérification Oui Ensemble est {####}.',
      },
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'MFA is required for every account; Plus-tier threat protection is not worth its per-user price for an invitation-only console.',
    });

    roles.forEach((role, precedence) => {
      new UserPoolGroup(this, `Group-${role}`, {
        userPool: this.userPool,
        groupName: role,
        description: ROLE_DESCRIPTIONS[role],
        precedence,
      });
    });

    // The operator console (a browser app): public client, SRP so the password never leaves
    // the browser, no hosted UI / OAuth flows, ID tokens carry cognito:groups and custom:etd.
    this.userPoolClient = this.userPool.addClient('Console', {
      generateSecret: false,
      authFlows: { userSrp: true },
      disableOAuth: true,
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(7),
      readAttributes: new ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true })
        .withCustomAttributes(ETD_ATTRIBUTE, ENTITY_ATTRIBUTE),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });

    // Secrets of routes.ts `secrets`: a random value made by Secrets Manager (never in the
    // template, never in a function's environment: functions get the ARN), retained, encrypted
    // with the AWS managed key (aws/secretsmanager) like the tables.
    const builtSecrets: Partial<Record<SecretKey, Secret>> = {};
    for (const key of Object.keys(secretDefs) as SecretKey[]) {
      const def: { description: string; envVar: string; generated: boolean } = secretDefs[key];
      const secret = new Secret(this, secretId(key), {
        description: `Oui Ensemble: ${def.description} (${def.envVar} offline)${def.generated ? '' : ' — set its value after the first deploy'}`,
        // Our own keys are generated; Stripe's are issued by Stripe and put here by the operators
        // (until then CloudFormation's random placeholder is no valid key, and payment calls fail).
        ...(def.generated ? { generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false } } : {}),
        removalPolicy: RemovalPolicy.RETAIN,
      });
      Validations.of(secret).acknowledge({
        id: 'AwsSolutions-SMG4',
        reason: def.generated
          ? 'HMAC key of the links e-mailed to clients: rotating it would invalidate every link already sent.'
          : 'Issued and rolled by Stripe (dashboard); operators update this secret when they roll it.',
      });
      builtSecrets[key] = secret;
    }
    this.secrets = builtSecrets as Record<SecretKey, Secret>;

    // The SES domain identity every e-mail is sent from (Easy DKIM): publish the CNAMEs below in
    // the domain's DNS for it to verify.
    this.mailIdentity = new EmailIdentity(this, 'MailDomain', { identity: Identity.domain(props.mailDomain) });
    this.mailIdentity.dkimRecords.forEach((record, index) => {
      new CfnOutput(this, `MailDkimRecord${index + 1}`, { value: `${record.name} CNAME ${record.value}` });
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documentsBucket.bucketName });
  }
}
