import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from './database.js';
import { agencies, users } from './schema.js';

/** The bootstrap admin has a fixed id so a changed ADMIN_TOKEN replaces the old one instead of adding a user. */
export const BOOTSTRAP_ADMIN_ID = '00000000-0000-4000-8000-000000000001';

export const newToken = (): string => randomBytes(32).toString('base64url');

/** Tokens are random 32-byte strings, so a fast hash is enough; only the hash is stored. */
export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export async function ensureBootstrapAdmin(db: Database, token: string): Promise<void> {
  const tokenHash = hashToken(token);
  await db
    .insert(users)
    .values({ id: BOOTSTRAP_ADMIN_ID, name: 'Bootstrap admin', role: 'admin', tokenHash })
    .onConflictDoUpdate({ target: users.id, set: { tokenHash, revokedAt: null } });
}

/** ADMIN_TOKEN if configured, else the token kept in `<dataDir>/admin-token`, created on first start. */
export function resolveAdminToken(configured: string | undefined, dataDir: string): { token: string; file?: string } {
  if (configured) return { token: configured };
  const file = path.join(dataDir, 'admin-token');
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, 'utf8').trim();
    if (token.length >= 24) return { token, file };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const token = newToken();
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}

/** The bootstrap admin's address for signing in to the web app on the embedded defaults. */
export const BOOTSTRAP_ADMIN_EMAIL = 'admin@localhost';

/** The web password the dev command gives the bootstrap admin: kept in `<dataDir>/admin-password`, created on first start. */
export function resolveAdminPassword(dataDir: string): { password: string; file: string; created: boolean } {
  const file = path.join(dataDir, 'admin-password');
  if (fs.existsSync(file)) {
    const password = fs.readFileSync(file, 'utf8').trim();
    if (password.length >= 10) return { password, file, created: false };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const password = randomBytes(12).toString('base64url');
  fs.writeFileSync(file, `${password}\n`, { mode: 0o600 });
  return { password, file, created: true };
}

/** Whether a user has a web password yet. */
export async function hasPassword(db: Database, userId: string): Promise<boolean> {
  const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, userId));
  return Boolean(row?.hash);
}

/** Gives the bootstrap admin the dev command's address when it has none (admins may change it later). */
export async function ensureBootstrapAdminEmail(db: Database): Promise<string> {
  await db.update(users).set({ email: BOOTSTRAP_ADMIN_EMAIL }).where(and(eq(users.id, BOOTSTRAP_ADMIN_ID), isNull(users.email)));
  const [row] = await db.select({ email: users.email }).from(users).where(eq(users.id, BOOTSTRAP_ADMIN_ID));
  return row?.email ?? BOOTSTRAP_ADMIN_EMAIL;
}

export type SeedAgency = { code: string; name: string; shortName?: string; supervisor?: string; parent?: string };

/**
 * A starting directory for a province's internal-affairs bloc, so a fresh system can issue directives at once.
 * Applied only to an empty directory; admins own it afterwards.
 */
export const DEFAULT_AGENCIES: SeedAgency[] = [
  { code: 'TU', name: 'Tỉnh ủy', shortName: 'TU' },
  { code: 'BNCTU', name: 'Ban Nội chính Tỉnh ủy', shortName: 'BNCTU', parent: 'TU', supervisor: 'TU' },
  { code: 'CAT', name: 'Công an tỉnh', shortName: 'CA tỉnh', supervisor: 'BNCTU' },
  { code: 'VKSND', name: 'Viện Kiểm sát nhân dân tỉnh', shortName: 'VKSND tỉnh', supervisor: 'BNCTU' },
  { code: 'TAND', name: 'Tòa án nhân dân tỉnh', shortName: 'TAND tỉnh', supervisor: 'BNCTU' },
  { code: 'THADS', name: 'Cục Thi hành án dân sự tỉnh', shortName: 'Cục THADS', supervisor: 'BNCTU' },
  { code: 'TTT', name: 'Thanh tra tỉnh', shortName: 'Thanh tra tỉnh', supervisor: 'BNCTU' },
];

export async function seedAgenciesIfEmpty(db: Database, seed: SeedAgency[] = DEFAULT_AGENCIES): Promise<number> {
  return db.transaction(async (tx) => {
    // Serialises concurrent first starts so the directory is seeded once.
    await tx.execute(sql`lock table ${agencies} in share row exclusive mode`);
    const [{ n } = { n: 0 }] = await tx.select({ n: sql<number>`count(*)::int` }).from(agencies);
    if (n > 0) return 0;
    const ids = new Map<string, string>();
    for (const a of seed) {
      const [row] = await tx
        .insert(agencies)
        .values({ code: a.code, name: a.name, shortName: a.shortName ?? null })
        .returning({ id: agencies.id });
      if (row) ids.set(a.code, row.id);
    }
    for (const a of seed) {
      const id = ids.get(a.code);
      if (!id || (!a.parent && !a.supervisor)) continue;
      await tx
        .update(agencies)
        .set({ parentId: a.parent ? ids.get(a.parent) : null, supervisorId: a.supervisor ? ids.get(a.supervisor) : null })
        .where(eq(agencies.id, id));
    }
    return seed.length;
  });
}
