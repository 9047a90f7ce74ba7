/**
 * People signing in to the web app: passwords (argon2id), one-time invitation links, sessions, and
 * throttling of failed sign-ins per account and per address. Machines keep their bearer tokens (auth.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { invitations, sessions, signInFailures, users } from '../db/schema.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { SignInMethod } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
/** How long a session lasts from sign-in; signing in again starts a new one. */
export const SESSION_HOURS = 12;
export const INVITATION_DAYS = 7;
/** Failed sign-ins tolerated in one window before the account (or the address) waits. */
export const THROTTLE = { accountFailures: 10, addressFailures: 50, windowMinutes: 15, lockMinutes: 15 } as const;

const digest = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

/** Compared against when the address is unknown, so an unknown address takes as long as a wrong password. */
let decoy: Promise<string> | undefined;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `A password has at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `A password has at most ${PASSWORD_MAX} characters.`;
  return null;
}

export type Session = { token: string; expiresAt: Date };

export function accountService({ db }: ServiceDeps) {
  const principalColumns = { userId: users.id, name: users.name, role: users.role, agencyId: users.agencyId };

  async function setPasswordHash(userId: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new ServiceFailure(FailureType.Invalid, problem, 'weak-password', [{ location: 'body', pointer: '/password', message: problem }]);
    // argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum.
    await db.update(users).set({ passwordHash: await hash(password), passwordSetAt: new Date() }).where(eq(users.id, userId));
  }

  /** Whether `key` is locked now; a window that has passed starts over. */
  async function lockedUntil(key: string): Promise<Date | null> {
    const [row] = await db.select().from(signInFailures).where(eq(signInFailures.key, key));
    return row?.lockedUntil && row.lockedUntil > new Date() ? row.lockedUntil : null;
  }

  async function recordFailure(key: string, limit: number): Promise<void> {
    const windowStart = sql`now() - make_interval(mins => ${THROTTLE.windowMinutes})`;
    await db
      .insert(signInFailures)
      .values({ key, failures: 1 })
      .onConflictDoUpdate({
        target: signInFailures.key,
        set: {
          failures: sql`case when ${signInFailures.windowStartedAt} < ${windowStart} then 1 else ${signInFailures.failures} + 1 end`,
          windowStartedAt: sql`case when ${signInFailures.windowStartedAt} < ${windowStart} then now() else ${signInFailures.windowStartedAt} end`,
        },
      });
    await db
      .update(signInFailures)
      .set({ lockedUntil: sql`now() + make_interval(mins => ${THROTTLE.lockMinutes})`, failures: 0, windowStartedAt: sql`now()` })
      .where(and(eq(signInFailures.key, key), sql`${signInFailures.failures} >= ${limit}`));
  }

  async function startSession(userId: string, method: SignInMethod): Promise<Session> {
    const token = newSecret();
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
    await db.insert(sessions).values({ tokenHash: digest(token), userId, method, expiresAt });
    return { token, expiresAt };
  }

  return {
    /**
     * Signs a person in with their address and password. Ten failures on one account (fifty from one address)
     * within fifteen minutes make it wait fifteen minutes, whatever the next password is.
     */
    async signIn(email: string, password: string, address: string): Promise<Session> {
      const accountKey = `account:${email.trim().toLowerCase()}`;
      const addressKey = `address:${address}`;
      const locked = (await lockedUntil(accountKey)) ?? (await lockedUntil(addressKey));
      if (locked) {
        const minutes = Math.max(1, Math.ceil((locked.getTime() - Date.now()) / 60_000));
        throw new ServiceFailure(FailureType.TooManyAttempts, `Too many failed sign-ins: try again in ${minutes} minutes.`, 'sign-in-locked');
      }
      const [user] = await db
        .select({ id: users.id, passwordHash: users.passwordHash })
        .from(users)
        .where(and(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`, isNull(users.revokedAt)));
      decoy ??= hash(newSecret());
      const ok = await verify(user?.passwordHash ?? (await decoy), password).catch(() => false);
      if (!user || !user.passwordHash || !ok) {
        await recordFailure(accountKey, THROTTLE.accountFailures);
        await recordFailure(addressKey, THROTTLE.addressFailures);
        throw new ServiceFailure(FailureType.Unauthenticated, 'The address or the password is not right.', 'sign-in-failed');
      }
      await db.delete(signInFailures).where(eq(signInFailures.key, accountKey));
      return startSession(user.id, 'password');
    },

    startSession,

    /**
     * Signs in the user the province's OpenID provider vouches for: by its subject once known, else (when the
     * province maps by address) by the verified address, which then records the subject for next time.
     */
    async signInWithOidc(claims: { subject: string; email: string | undefined }, match: 'email' | 'subject'): Promise<Session> {
      const [bySubject] = await db.select({ id: users.id }).from(users).where(and(eq(users.oidcSubject, claims.subject), isNull(users.revokedAt)));
      let userId = bySubject?.id;
      if (!userId && match === 'email' && claims.email) {
        const [byEmail] = await db
          .select({ id: users.id, oidcSubject: users.oidcSubject })
          .from(users)
          .where(and(sql`lower(${users.email}) = ${claims.email.toLowerCase()}`, isNull(users.revokedAt)));
        // An address already bound to another subject is not taken over.
        if (byEmail && byEmail.oidcSubject === null) {
          await db.update(users).set({ oidcSubject: claims.subject }).where(eq(users.id, byEmail.id));
          userId = byEmail.id;
        }
      }
      if (!userId) throw new ServiceFailure(FailureType.Unauthenticated, 'No user matches this account.', 'sso-no-user');
      return startSession(userId, 'oidc');
    },

    /** The person a session cookie belongs to, while the session lasts and the person is not revoked. */
    async principalForSession(token: string): Promise<(Principal & { language: string }) | undefined> {
      const [row] = await db
        .select({ ...principalColumns, language: users.language })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.tokenHash, digest(token)), isNull(sessions.endedAt), gt(sessions.expiresAt, new Date()), isNull(users.revokedAt)));
      return row;
    },

    async endSession(token: string): Promise<void> {
      await db.update(sessions).set({ endedAt: new Date() }).where(eq(sessions.tokenHash, digest(token)));
    },

    /** An admin sets a person's password (a first one, or a reset); their open sessions end. */
    async setPassword(principal: Principal, userId: string, password: string): Promise<void> {
      requirePermission(principal, 'administer');
      const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
      if (!user) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
      await setPasswordHash(userId, password);
      await db.update(sessions).set({ endedAt: new Date() }).where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)));
    },

    /** A one-time link for a person to set their password, valid for a week; shown once. */
    async invite(principal: Principal, userId: string): Promise<{ token: string; expiresAt: Date }> {
      requirePermission(principal, 'administer');
      const [user] = await db.select({ id: users.id, revokedAt: users.revokedAt }).from(users).where(eq(users.id, userId));
      if (!user) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
      if (user.revokedAt) throw new ServiceFailure(FailureType.InvalidState, 'This user is revoked.');
      const token = newSecret();
      const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
      await db.insert(invitations).values({ tokenHash: digest(token), userId, createdBy: principal.userId, expiresAt });
      return { token, expiresAt };
    },

    /** Who an unused, unexpired invitation is for. */
    async invitation(token: string): Promise<{ userId: string; name: string; email: string | null } | undefined> {
      const [row] = await db
        .select({ userId: users.id, name: users.name, email: users.email })
        .from(invitations)
        .innerJoin(users, eq(users.id, invitations.userId))
        .where(and(eq(invitations.tokenHash, digest(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, new Date()), isNull(users.revokedAt)));
      return row;
    },

    /** Sets the password an invitation is for, once, and signs the person in. */
    async acceptInvitation(token: string, password: string): Promise<Session> {
      const problem = passwordProblem(password);
      if (problem) throw new ServiceFailure(FailureType.Invalid, problem, 'weak-password', [{ location: 'body', pointer: '/password', message: problem }]);
      const [used] = await db
        .update(invitations)
        .set({ usedAt: new Date() })
        .where(and(eq(invitations.tokenHash, digest(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, new Date())))
        .returning({ userId: invitations.userId });
      if (!used) throw new ServiceFailure(FailureType.NotFound, 'This invitation was used already or has expired; ask an admin for a new one.');
      await setPasswordHash(used.userId, password);
      return startSession(used.userId, 'password');
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
