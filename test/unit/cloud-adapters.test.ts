/** The cloud adapters (functions/shared/cloud-adapters.ts) against mocked AWS calls. */
import { createHash } from 'node:crypto';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  attachmentDisposition,
  cloudAdapters,
  DocumentNotFoundError,
  SECRET_MAX_AGE_SECONDS,
  secretIdEnvVar,
} from '../../functions/shared/cloud-adapters.ts';

const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
const secretsManager = mockClient(SecretsManagerClient);
const ENV = {
  DOCUMENTS_BUCKET: 'oui-documents-test',
  MAIL_FROM: 'Oui Ensemble <ne-pas-repondre@oui-ensemble.fr>',
  SECRET_LINK_SIGNING_KEY_ID: 'arn:aws:secretsmanager:eu-west-3:111122223333:secret:LinkSigningKey-AbCdEf',
  PUBLIC_BASE_URL: 'https://api.example.test/',
};

beforeEach(() => {
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
});
afterEach(() => {
  s3.reset();
  ses.reset();
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
});

describe('documents (S3)', () => {
  const pdf = new TextEncoder().encode('%PDF-1.7 devis D-2025-0001');

  it('puts the bytes with their content type and an S3-checked SHA-256, and returns the hash', async () => {
    s3.on(PutObjectCommand).resolves({});
    const stored = await cloudAdapters().documents.put('quotes/44/D-2025-0001.pdf', pdf, 'application/pdf');
    const digest = createHash('sha256').update(pdf).digest();
    expect(stored).toEqual({
      key: 'quotes/44/D-2025-0001.pdf',
      contentType: 'application/pdf',
      sha256: digest.toString('hex'),
      bytes: pdf.byteLength,
    });
    const calls = s3.commandCalls(PutObjectCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      Bucket: ENV.DOCUMENTS_BUCKET,
      Key: 'quotes/44/D-2025-0001.pdf',
      Body: pdf,
      ContentType: 'application/pdf',
      ChecksumSHA256: digest.toString('base64'),
    });
    // Encryption is the bucket default: not overridden per object.
    expect(calls[0]!.args[0].input.ServerSideEncryption).toBeUndefined();
  });

  it('gets the bytes back', async () => {
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: () => Promise.resolve(pdf) } as never });
    expect(await cloudAdapters().documents.get('quotes/44/D-2025-0001.pdf')).toEqual(pdf);
    expect(s3.commandCalls(GetObjectCommand)[0]!.args[0].input).toEqual({ Bucket: ENV.DOCUMENTS_BUCKET, Key: 'quotes/44/D-2025-0001.pdf' });
  });

  it.each(['NoSuchKey', 'AccessDenied'])('maps %s to DocumentNotFoundError', async (name) => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error(name), { name }));
    await expect(cloudAdapters().documents.get('quotes/none.pdf')).rejects.toBeInstanceOf(DocumentNotFoundError);
  });

  it('links with a presigned GetObject URL: the key, X-Amz-Expires and an attachment disposition with the UTF-8 name', async () => {
    const before = Date.now();
    const { url, expiresAt } = await cloudAdapters().documents.link('quotes/44/D-2025-0001.pdf', {
      ttlSeconds: 900,
      fileName: 'Devis D-2025-0001 – Hélène.pdf',
    });
    const parsed = new URL(url);
    expect(parsed.hostname).toContain(ENV.DOCUMENTS_BUCKET);
    expect(parsed.pathname).toBe('/quotes/44/D-2025-0001.pdf');
    expect(parsed.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(parsed.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed.searchParams.get('response-content-disposition')).toBe(attachmentDisposition('Devis D-2025-0001 – Hélène.pdf'));
    const expires = Date.parse(expiresAt);
    expect(expires).toBeGreaterThanOrEqual(before + 900_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 900_000);
    expect(s3.calls()).toHaveLength(0);
  });

  it.each([0, -1, 1.5, 7 * 24 * 3600 + 1])('refuses a link lifetime of %s seconds', async (ttlSeconds) => {
    await expect(cloudAdapters().documents.link('quotes/a.pdf', { ttlSeconds, fileName: 'a.pdf' })).rejects.toBeInstanceOf(RangeError);
  });

  it('refuses to work without DOCUMENTS_BUCKET (the capability was not granted)', async () => {
    vi.stubEnv('DOCUMENTS_BUCKET', '');
    await expect(cloudAdapters().documents.put('a', pdf, 'application/pdf')).rejects.toThrow(/DOCUMENTS_BUCKET/);
  });
});

describe('attachmentDisposition (RFC 6266)', () => {
  it.each([
    ['devis.pdf', `attachment; filename="devis.pdf"; filename*=UTF-8''devis.pdf`],
    ['Devis Hélène (v2).pdf', `attachment; filename="Devis Helene (v2).pdf"; filename*=UTF-8''Devis%20H%C3%A9l%C3%A8ne%20%28v2%29.pdf`],
    ['a "b".pdf', `attachment; filename="a _b_.pdf"; filename*=UTF-8''a%20%22b%22.pdf`],
  ])('%s', (name, expected) => {
    expect(attachmentDisposition(name)).toBe(expected);
  });
});

describe('mailer (SES v2)', () => {
  it('sends a simple UTF-8 message from MAIL_FROM and returns the MessageId', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: '0100019abc-1' });
    const result = await cloudAdapters().mailer.send({
      to: 'client@example.test',
      subject: 'Votre devis n° D-2025-0001',
      text: 'Bonjour, voici votre devis.',
      html: '<p>Bonjour, voici votre devis.</p>',
      replyTo: 'entrepreneur@example.test',
    });
    expect(result).toEqual({ messageId: '0100019abc-1' });
    expect(ses.commandCalls(SendEmailCommand)[0]!.args[0].input).toEqual({
      FromEmailAddress: ENV.MAIL_FROM,
      Destination: { ToAddresses: ['client@example.test'] },
      ReplyToAddresses: ['entrepreneur@example.test'],
      Content: {
        Simple: {
          Subject: { Data: 'Votre devis n° D-2025-0001', Charset: 'UTF-8' },
          Body: {
            Text: { Data: 'Bonjour, voici votre devis.', Charset: 'UTF-8' },
            Html: { Data: '<p>Bonjour, voici votre devis.</p>', Charset: 'UTF-8' },
          },
        },
      },
    });
  });

  it('sends text only when there is no HTML', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });
    await cloudAdapters().mailer.send({ to: 'c@example.test', subject: 's', text: 't' });
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.Content?.Simple?.Body).toEqual({ Text: { Data: 't', Charset: 'UTF-8' } });
    expect(input.ReplyToAddresses).toBeUndefined();
  });
});

describe('secrets (GetSecretValue on Secrets Manager, cached per container)', () => {
  afterEach(() => {
    secretsManager.reset();
    vi.useRealTimers();
  });

  it('reads the secret named by SECRET_<VAR>_ID, then serves it from the cache', async () => {
    secretsManager.on(GetSecretValueCommand).resolves({ ARN: ENV.SECRET_LINK_SIGNING_KEY_ID, SecretString: 'k'.repeat(64) });
    const { secrets } = cloudAdapters();
    expect(secretIdEnvVar('linkSigningKey')).toBe('SECRET_LINK_SIGNING_KEY_ID');
    expect(await secrets.get('linkSigningKey')).toBe('k'.repeat(64));
    expect(await secrets.get('linkSigningKey')).toBe('k'.repeat(64));
    const calls = secretsManager.commandCalls(GetSecretValueCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ SecretId: ENV.SECRET_LINK_SIGNING_KEY_ID });
  });

  it('shares one call between concurrent first reads, and reads again once SECRET_MAX_AGE_SECONDS have passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-30T10:00:00Z'));
    secretsManager
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: 'old'.repeat(20) })
      .resolves({ SecretString: 'new'.repeat(20) });
    const { secrets } = cloudAdapters();
    expect(await Promise.all([secrets.get('linkSigningKey'), secrets.get('linkSigningKey')])).toEqual(['old'.repeat(20), 'old'.repeat(20)]);
    vi.setSystemTime(new Date(Date.parse('2026-11-30T10:00:00Z') + SECRET_MAX_AGE_SECONDS * 1000 - 1));
    expect(await secrets.get('linkSigningKey')).toBe('old'.repeat(20));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    vi.setSystemTime(new Date(Date.parse('2026-11-30T10:00:00Z') + SECRET_MAX_AGE_SECONDS * 1000));
    expect(await secrets.get('linkSigningKey')).toBe('new'.repeat(20));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('does not keep a failed read: the next call asks again', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: 'k'.repeat(64) });
    const { secrets } = cloudAdapters();
    await expect(secrets.get('linkSigningKey')).rejects.toThrow(/ThrottlingException/);
    expect(await secrets.get('linkSigningKey')).toBe('k'.repeat(64));
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fails with the error type only when Secrets Manager refuses', async () => {
    secretsManager
      .on(GetSecretValueCommand)
      .rejects(
        Object.assign(new Error('Secrets Manager can’t find the specified secret arn:aws:…'), { name: 'ResourceNotFoundException' }),
      );
    const error = (await cloudAdapters()
      .secrets.get('linkSigningKey')
      .catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/ResourceNotFoundException/);
    expect(error.message).not.toMatch(/arn:/);
  });

  it('refuses to work without the secret ARN (the secret was not granted)', async () => {
    vi.stubEnv('SECRET_LINK_SIGNING_KEY_ID', '');
    await expect(cloudAdapters().secrets.get('linkSigningKey')).rejects.toThrow(/SECRET_LINK_SIGNING_KEY_ID/);
    expect(secretsManager.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});

describe('publicBaseUrl', () => {
  it('is PUBLIC_BASE_URL without its trailing slash', () => {
    expect(cloudAdapters().publicBaseUrl()).toBe('https://api.example.test');
  });
});
