import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { AxeBuilder } from '@axe-core/playwright';
import { eq } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startHttpServer, type HttpServer } from '../../http/serve.js';
import type { Config } from '../../config.js';
import type { DatabaseHandle } from '../../db/client.js';
import { seedAgenciesIfEmpty } from '../../db/bootstrap.js';
import { agencies, users } from '../../db/schema.js';
import { DEMO_AGENCIES } from '../../scripts/demo/directory.js';
import type { Role } from '../../domain/lists.js';
import { freePort } from '../../scripts/temporal-server.js';
import { createUserWithId, eventually, freshDatabase, startWorld, type World } from '../support.js';

/** Debian's Chromium (`apt-get install chromium`); Playwright's own download cannot run here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export type Site = {
  world: World;
  server: HttpServer;
  base: string;
  browser: Browser;
  database: DatabaseHandle;
  close(): Promise<void>;
};

/**
 * The whole product on a real HTTP port, on a database of its own (so the directory it seeds cannot meet
 * another test file's), with a real Temporal worker, and Chromium to drive it. Playwright gives every
 * launch a new empty profile.
 */
export async function startSite(options: { oidc?: Config['oidc']; port?: number } = {}): Promise<Site> {
  const database = await freshDatabase();
  // The demo's directory: the internal-affairs bloc and the district working groups the example addresses.
  await seedAgenciesIfEmpty(database.db, DEMO_AGENCIES);
  const port = options.port ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const world = await startWorld({ database, publicUrl: base, ...(options.oidc ? { oidc: options.oidc } : {}) });
  const server = await startHttpServer(world.app, '127.0.0.1', port);
  if (!fs.existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (bash .ci/run does).`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  return {
    world,
    server,
    base,
    browser,
    database,
    async close() {
      await browser.close();
      await server.close();
      await world.close();
      await database.drop();
    },
  };
}

export const PASSWORD = 'mật-khẩu-thử-nghiệm-1';

/** A person who signs in with an address and a password. */
export async function person(site: Site, role: Role, name: string, email: string, agencyId?: string) {
  const u = await createUserWithId(site.world.db, { role, ...(agencyId ? { agencyId } : {}) });
  await site.world.db.update(users).set({ email, name }).where(eq(users.id, u.id));
  await site.world.services.accounts.setPassword({ userId: u.id, name, role: 'admin', agencyId: null }, u.id, PASSWORD);
  return { ...u, email, name };
}

export async function signIn(page: Page, base: string, email: string, password = PASSWORD) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel(/Địa chỉ thư điện tử|Email address/).fill(email);
  await page.getByLabel(/^Mật khẩu$|^Password$/).fill(password);
  await page.getByRole('button', { name: /Đăng nhập|Sign in/ }).first().click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

export async function newPage(site: Site, opts: { javaScript?: boolean; phone?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await site.browser.newContext({
    javaScriptEnabled: opts.javaScript !== false,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    ...(opts.phone ? { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true } : {}),
  });
  // The pages keep to the Content-Security-Policy: anything it refused (an inline script or style, an eval) is
  // reported by the browser on the console, and fails the test when its context closes.
  const violations: string[] = [];
  context.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(`${message.location().url}: ${message.text()}`);
  });
  context.on('weberror', (error) => {
    if (/Content Security Policy/i.test(error.error().message)) violations.push(error.error().message);
  });
  const close = context.close.bind(context);
  context.close = async (options) => {
    await close(options);
    expect(violations, 'Content-Security-Policy violations').toEqual([]);
  };
  return { context, page: await context.newPage() };
}

/** axe-core on the page as it is: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`), what).toEqual([]);
}

/** The CSS and scripts every page loads, compressed as they are sent. */
let assetBytes: number | undefined;
async function assetsWeight(site: Site): Promise<number> {
  if (assetBytes === undefined) {
    let sum = 0;
    for (const file of ['pico.min.css', 'app.css', 'htmx.min.js', 'sse.min.js']) {
      const res = await fetch(`${site.base}/assets/${file}`);
      sum += gzipSync(Buffer.from(await res.arrayBuffer())).length;
    }
    assetBytes = sum;
  }
  return assetBytes;
}

/** What a first visit to the page in front of us weighs: its HTML and every asset, gzip-compressed. */
export async function pageWeight(site: Site, page: Page): Promise<number> {
  return gzipSync(Buffer.from(await page.content())).length + (await assetsWeight(site));
}

/** Waits for a locator to be visible; fails with its description otherwise. */
export async function visible(locator: Locator, timeout = 15_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator;
}

/** The text of the first element a locator finds, once it is visible. */
export async function textOf(locator: Locator, timeout = 15_000): Promise<string> {
  await visible(locator, timeout);
  return ((await locator.first().textContent()) ?? '').trim();
}

/** The id of a directory agency by its code. */
export async function agencyId(site: Site, code: string): Promise<string> {
  const [row] = await site.world.db.select({ id: agencies.id }).from(agencies).where(eq(agencies.code, code));
  if (!row) throw new Error(`no agency ${code}`);
  return row.id;
}

/** A directive issued over the API by the admin, once its workflow has recorded it. */
export async function issueDirective(site: Site, body: Record<string, unknown>): Promise<string> {
  const res = await site.world.call('POST', '/v1/directives', { body });
  expect(res.status).toBe(201);
  const { id } = (await res.json()) as { id: string };
  await eventually(async () => (await site.world.call('GET', `/v1/directives/${id}/events`)).status, (status) => status === 200);
  return id;
}
