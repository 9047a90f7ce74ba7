import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.js';
import { vnEndOfDay as endOfDayInVietnam } from '../../domain/vn-time.js';

describe('configuration', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeUndefined();
    expect(c.temporal.address).toBeUndefined();
    expect(c.http.port).toBe(3000);
    expect(c.temporal.taskQueue).toBe('directives');
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', TEMPORAL_ADDRESS: '  ' }).databaseUrl).toBeUndefined();
  });

  it('names every invalid variable in one error', () => {
    expect(() => loadConfig({ PORT: 'eighty', ADMIN_TOKEN: 'short', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', ADMIN_TOKEN: 'short', LOG_LEVEL: 'loud' });
    } catch (err) {
      expect(String(err)).toMatch(/PORT/);
      expect(String(err)).toMatch(/ADMIN_TOKEN/);
      expect(String(err)).toMatch(/LOG_LEVEL/);
    }
  });
});

describe('attachment storage', () => {
  it('is PostgreSQL unless ATTACHMENT_S3_BUCKET is set', () => {
    expect(loadConfig({}).attachments.s3).toBeUndefined();
    expect(loadConfig({ ATTACHMENT_S3_BUCKET: ' ' }).attachments.s3).toBeUndefined();
  });

  it('takes AWS defaults for a bucket alone, and path-style addressing with an endpoint unless told otherwise', () => {
    expect(loadConfig({ ATTACHMENT_S3_BUCKET: 'tai-lieu' }).attachments.s3).toEqual({
      bucket: 'tai-lieu',
      endpoint: undefined,
      region: 'us-east-1',
      prefix: 'attachments/',
      forcePathStyle: false,
      credentials: undefined,
    });
    const minio = loadConfig({
      ATTACHMENT_S3_BUCKET: 'tai-lieu',
      ATTACHMENT_S3_ENDPOINT: 'http://minio.internal:9000',
      ATTACHMENT_S3_REGION: 'ap-southeast-1',
      ATTACHMENT_S3_PREFIX: 'dong-thap/files/',
      ATTACHMENT_S3_ACCESS_KEY_ID: 'key',
      ATTACHMENT_S3_SECRET_ACCESS_KEY: 'secret',
    }).attachments.s3;
    expect(minio).toEqual({
      bucket: 'tai-lieu',
      endpoint: 'http://minio.internal:9000',
      region: 'ap-southeast-1',
      prefix: 'dong-thap/files/',
      forcePathStyle: true,
      credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
    });
    expect(loadConfig({ ATTACHMENT_S3_BUCKET: 'tai-lieu', ATTACHMENT_S3_ENDPOINT: 'https://s3.example.vn', ATTACHMENT_S3_FORCE_PATH_STYLE: 'false' }).attachments.s3?.forcePathStyle).toBe(false);
    expect(loadConfig({ ATTACHMENT_S3_BUCKET: 'tai-lieu', ATTACHMENT_S3_FORCE_PATH_STYLE: '1' }).attachments.s3?.forcePathStyle).toBe(true);
  });

  it('names each bad value, and settings that would be ignored without a bucket', () => {
    const problems = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        return String(err);
      }
      throw new Error('accepted');
    };
    const bad = problems({
      ATTACHMENT_S3_BUCKET: 'Tai_Lieu',
      ATTACHMENT_S3_ENDPOINT: 'ftp://files',
      ATTACHMENT_S3_FORCE_PATH_STYLE: 'yes',
      ATTACHMENT_S3_PREFIX: '/files/',
    });
    expect(bad).toMatch(/ATTACHMENT_S3_BUCKET is a bucket name/);
    expect(bad).toMatch(/ATTACHMENT_S3_ENDPOINT must be an http\(s\) URL/);
    expect(bad).toMatch(/ATTACHMENT_S3_FORCE_PATH_STYLE is true or false/);
    expect(bad).toMatch(/ATTACHMENT_S3_PREFIX does not start with "\/"/);
    expect(problems({ ATTACHMENT_S3_ENDPOINT: 'http://minio:9000' })).toMatch(/ATTACHMENT_S3_ENDPOINT needs ATTACHMENT_S3_BUCKET/);
    expect(problems({ ATTACHMENT_S3_BUCKET: 'tai-lieu', ATTACHMENT_S3_ACCESS_KEY_ID: 'key' })).toMatch(/ATTACHMENT_S3_ACCESS_KEY_ID and ATTACHMENT_S3_SECRET_ACCESS_KEY go together/);
  });
});

describe('a calendar due date', () => {
  it('ends at 24:00 Vietnam time, which is 17:00 UTC of the same day', () => {
    expect(endOfDayInVietnam('2024-11-30').toISOString()).toBe('2024-11-30T17:00:00.000Z');
    expect(endOfDayInVietnam('2024-12-31').toISOString()).toBe('2024-12-31T17:00:00.000Z');
  });
});
