import http from 'node:http';
import { eq } from 'drizzle-orm';
import Provider from 'oidc-provider';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../db/schema.js';
import { freePort } from '../../scripts/temporal-server.js';
import { createUserWithId } from '../support.js';
import { expectAccessible, newPage, startSite, textOf, visible, type Site } from './support.js';

/**
 * Single sign-on against a real OpenID provider (node-oidc-provider, its development login and consent
 * pages) started by this test: the person is matched to their user by the address the provider vouches for.
 */
let site: Site;
let provider: http.Server;
const client = { id: 'directive-tracker', secret: 'a-client-secret-for-the-test-provider' };

beforeAll(async () => {
  const providerPort = await freePort();
  const sitePort = await freePort();
  const issuer = `http://127.0.0.1:${providerPort}`;
  const oidc = new Provider(issuer, {
    clients: [
      {
        client_id: client.id,
        client_secret: client.secret,
        redirect_uris: [`http://127.0.0.1:${sitePort}/sso/callback`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    // The development login takes any login name: here, it is the person's address.
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id, email: id, email_verified: true }) }),
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-provider-cookie-key'] },
  });
  provider = http.createServer(oidc.callback());
  await new Promise<void>((resolve) => provider.listen(providerPort, '127.0.0.1', resolve));
  site = await startSite({ port: sitePort, oidc: { issuer, clientId: client.id, clientSecret: client.secret, match: 'email' } });
}, 180_000);
afterAll(async () => {
  await site?.close();
  await new Promise<void>((resolve) => provider?.close(() => resolve()));
});

async function throughTheProvider(page: Page, login: string) {
  await page.goto(`${site.base}/sign-in`);
  await page.getByRole('button', { name: 'Đăng nhập bằng tài khoản của tỉnh' }).click();
  await page.locator('input[name=login]').fill(login);
  await page.locator('input[name=password]').fill('any password the development provider takes');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('single sign-on with the province’s OpenID provider', () => {
  it('signs a person in as the user with the verified address, and remembers the subject', async () => {
    const email = 'sso.leader@noichinh.test';
    const u = await createUserWithId(site.world.db, { role: 'leader' });
    await site.world.db.update(users).set({ email, name: 'Lãnh đạo đăng nhập một lần' }).where(eq(users.id, u.id));
    const { context, page } = await newPage(site);
    await page.goto(`${site.base}/sign-in`);
    await expectAccessible(page, 'sign-in with single sign-on');
    await throughTheProvider(page, email);
    await page.waitForURL((u) => u.pathname === '/' || u.pathname === '/sign-in', { waitUntil: 'commit' });
    expect(page.url()).toBe(`${site.base}/`);
    expect(await textOf(page.locator('.who'))).toContain('Lãnh đạo đăng nhập một lần');
    const [row] = await site.world.db.select({ subject: users.oidcSubject }).from(users).where(eq(users.id, u.id));
    expect(row!.subject).toBe(email);
    await context.close();
  }, 90_000);

  it('sends someone the directory does not know back to sign in, with the reason', async () => {
    const { context, page } = await newPage(site);
    await throughTheProvider(page, 'nobody.here@noichinh.test');
    await page.waitForURL(/\/sign-in\?sso-error=no-user/);
    await visible(page.getByRole('alert'));
    expect(await textOf(page.getByRole('alert'))).toBe('Chưa có người dùng nào ứng với tài khoản này; đề nghị quản trị viên thêm.');
    await context.close();
  }, 90_000);
});
