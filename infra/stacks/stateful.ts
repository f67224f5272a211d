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
  UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolGroup,
} from 'aws-cdk-lib/aws-cognito';
import { AttributeType, Billing, TableEncryptionV2, TableV2, type Attribute } from 'aws-cdk-lib/aws-dynamodb';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { CLAIM_ETD } from '../../functions/shared/auth.ts';
import { roles, type Role } from '../../functions/shared/roles.ts';
import { tables, type KeyDef, type TableKey } from '../../functions/tables.ts';

/** The custom attribute behind the `custom:etd` claim (functions/shared/auth.ts). */
export const ETD_ATTRIBUTE = CLAIM_ETD.replace(/^custom:/, '');

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

export class StatefulStack extends Stack {
  readonly tables: Readonly<Record<TableKey, TableV2>>;
  readonly documentsBucket: Bucket;
  readonly accessLogsBucket: Bucket;
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;

  constructor(scope: Construct, id: string, props?: StackProps) {
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
      customAttributes: { [ETD_ATTRIBUTE]: new StringAttribute({ minLen: 1, maxLen: 32, mutable: true }) },
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
      reason: 'MFA is required for every account; Plus-tier threat protection is not worth its per-user price for an invitation-only console.',
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
        .withCustomAttributes(ETD_ATTRIBUTE),
      writeAttributes: new ClientAttributes().withStandardAttributes({ email: true }),
    });

    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
    new CfnOutput(this, 'DocumentsBucketName', { value: this.documentsBucket.bucketName });
  }
}
