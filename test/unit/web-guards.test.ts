import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';
import type { WebEnv } from '../../web/context.js';
import { clientAddress } from '../../http/shared/request.js';
import { safeNext } from '../../web/page.js';

describe('where a browser may be sent back to', () => {
  it.each(['/', '/directives?status=issued', '/conferences/new#drafts'])('keeps a path of this site: %s', (path) => {
    expect(safeNext(path)).toBe(path);
  });
  it.each(['//evil.example', '/\\evil.example', '/\tevil.example', '/\n/evil.example', 'https://evil.example', 'evil', '', undefined])(
    'sends anything a browser could read as another site home instead: %j',
    (path) => {
      expect(safeNext(path)).toBe('/');
    },
  );
});

describe('the address failed sign-ins are counted by', () => {
  const request = (forwarded?: string) => ({ req: { header: (name: string) => (name === 'x-forwarded-for' ? forwarded : undefined) } }) as unknown as Context<WebEnv>;
  it('is the socket’s when no proxy is trusted, whatever the client claims', () => {
    expect(clientAddress(request('203.0.113.9'), 0, () => '10.0.0.5')).toBe('10.0.0.5');
  });
  it('is the entry the trusted proxy added, not one the client wrote before it', () => {
    expect(clientAddress(request('198.51.100.1, 203.0.113.9'), 1, () => '10.0.0.5')).toBe('203.0.113.9');
    expect(clientAddress(request('198.51.100.1, 203.0.113.9, 10.1.1.1'), 2, () => '10.0.0.5')).toBe('203.0.113.9');
  });
});
