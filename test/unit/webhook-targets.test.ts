import { describe, expect, it } from 'vitest';
import { refusedName, refusedRange, webhookTargetProblem } from '../../domain/webhook-targets.js';

const resolvesTo = (table: Record<string, string[]>) => async (host: string) => {
  const found = table[host];
  if (!found) throw new Error(`ENOTFOUND ${host}`);
  return found;
};

describe('webhook targets', () => {
  it('names the range of every non-public address and passes public unicast ones', () => {
    expect(refusedRange('127.0.0.1')).toBe('loopback');
    expect(refusedRange('10.20.30.40')).toBe('private');
    expect(refusedRange('192.168.1.5')).toBe('private');
    expect(refusedRange('172.16.0.1')).toBe('private');
    expect(refusedRange('169.254.169.254')).toBe('linkLocal');
    expect(refusedRange('100.64.0.1')).toBe('carrierGradeNat');
    expect(refusedRange('0.0.0.0')).toBe('unspecified');
    expect(refusedRange('::1')).toBe('loopback');
    expect(refusedRange('fe80::1')).toBe('linkLocal');
    expect(refusedRange('fd12:3456::1')).toBe('uniqueLocal');
    expect(refusedRange('::ffff:10.0.0.1')).toBe('private');
    expect(refusedRange('93.184.216.34')).toBeNull();
    expect(refusedRange('2001:4860:4860::8888')).toBeNull();
  });

  it('refuses a name that resolves to an internal address, even beside a public one, unless allowed', async () => {
    const lookup = resolvesTo({ 'hooks.tinh.vn': ['93.184.216.34'], 'mixed.example': ['93.184.216.34', '10.0.0.7'], 'metadata.internal': ['169.254.169.254'] });
    const check = (url: string, allowPrivate = false) => webhookTargetProblem(url, { allowPrivate, lookup });
    expect(await check('https://hooks.tinh.vn/nhan')).toBeNull();
    // A name's refusal never says what it resolved to, nor whether it resolved at all.
    expect(await check('http://mixed.example/x')).toBe(refusedName('mixed.example'));
    expect(await check('http://metadata.internal/latest/meta-data')).toBe(refusedName('metadata.internal'));
    expect(await check('http://[::1]:8080/x')).toMatch(/loopback/);
    expect(await check('http://127.0.0.1:9/x')).toMatch(/WEBHOOK_ALLOW_PRIVATE_TARGETS/);
    expect(await check('http://nowhere.invalid/x')).toBe(refusedName('nowhere.invalid'));
    expect(refusedName('metadata.internal')).not.toMatch(/169\.254|linkLocal|range/);
    expect(await check('ftp://hooks.tinh.vn/x', true)).toMatch(/only http and https/);
    expect(await check('http://127.0.0.1:9/x', true)).toBeNull();
  });
});
