/**
 * People signing in to the web app: passwords (argon2id), one-time invitation links, sessions, and
 * throttling of failed sign-ins per account and per address. Machines keep their bearer tokens (auth.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { and, eq, gt, inArray, isNull, like, or, sql } from 'drizzle-orm';
import { invitations, sessions, signInFailures, users } from '../db/schema.js';
import { escapeLike } from '../db/text.js';
import { FailureType, ServiceFailure } from '../domain/failures.js';
import type { SignInMethod } from '../domain/lists.js';
import { requirePermission } from './auth.js';
import type { Principal, ServiceDeps } from './context.js';

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
/** How long a session lasts from sign-in; signing in again starts a new one. */
export const SESSION_HOURS = 12;
export const INVITATION_DAYS = 7;
/** Wrong submissions an invitation survives (two entries that differ, a password too short); the next voids it. */
export const INVITATION_FAILURES = 5;
/**
 * Sign-in attempts tolerated in one window before the next must wait: per account and address (one person
 * mistyping, or one attacker at one place), per address (one place trying many accounts) and per account (many
 * places trying one account). Past the free ones, each attempt makes the next wait twice as long as the last,
 * from `firstDelaySeconds` to at most `maxDelayMinutes`: an attacker slows down themselves first, and nobody can
 * lock anyone out for good; an admin can clear an account's counts (unlock).
 */
export const THROTTLE = { pairAttempts: 5, addressAttempts: 50, accountAttempts: 50, windowMinutes: 15, firstDelaySeconds: 30, maxDelayMinutes: 15 } as const;

/** How long the attempt after the `n`-th must wait, in seconds, when `free` are allowed without waiting. */
export function signInDelaySeconds(n: number, free: number): number {
  if (n <= free) return 0;
  return Math.min(THROTTLE.maxDelayMinutes * 60, THROTTLE.firstDelaySeconds * 2 ** (n - free - 1));
}

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

/** The counts a sign-in attempt is held to (`pairPrefix`: every place's count for the account). */
function keysOf(account: string, place: string) {
  const pairPrefix = `pair:${account}|`;
  return { pair: `${pairPrefix}${place}`, pairPrefix, address: `address:${place}`, account: `account:${account}` };
}


export function accountService({ db }: ServiceDeps) {
  const principalColumns = { userId: users.id, name: users.name, role: users.role, agencyId: users.agencyId };

  async function setPasswordHash(userId: string, password: string): Promise<void> {
    const problem = passwordProblem(password);
    if (problem) throw new ServiceFailure(FailureType.Invalid, problem, 'weak-password', [{ location: 'body', pointer: '/password', message: problem }]);
    // argon2id with the library's defaults (19 MiB, 2 passes): OWASP's recommended minimum.
    await db.update(users).set({ passwordHash: await hash(password), passwordSetAt: new Date() }).where(eq(users.id, userId));
  }

  /**
   * Counts one sign-in attempt for `key` before the password is checked, so guesses sent in parallel cannot slip
   * past the count: returns when the attempt may go ahead, or the instant it must wait for (nothing counted then).
   * A window that has passed starts over.
   */
  async function countAttempt(key: string, free: number): Promise<Date | null> {
    const t = signInFailures;
    return db.transaction(async (tx) => {
      await tx.insert(t).values({ key, failures: 0 }).onConflictDoNothing({ target: t.key });
      const [row] = await tx.select().from(t).where(eq(t.key, key)).for('update');
      const now = new Date();
      if (row?.lockedUntil && row.lockedUntil > now) return row.lockedUntil;
      const startsOver = !row || row.windowStartedAt.getTime() < now.getTime() - THROTTLE.windowMinutes * 60_000;
      const failures = startsOver ? 1 : row.failures + 1;
      const wait = signInDelaySeconds(failures, free);
      await tx
        .update(t)
        .set({ failures, ...(startsOver ? { windowStartedAt: now } : {}), lockedUntil: wait > 0 ? new Date(now.getTime() + wait * 1000) : null })
        .where(eq(t.key, key));
      // Now and then, forget the windows that have long passed (addresses nobody uses any more).
      if (Math.random() < 0.05) {
        await tx.delete(t).where(sql`${t.windowStartedAt} < now() - interval '1 day' and (${t.lockedUntil} is null or ${t.lockedUntil} < now())`);
      }
      return null;
    });
  }

  /** What a password change or a revocation closes: every open session and every unused invitation. */
  async function closeAccess(userId: string): Promise<void> {
    const now = new Date();
    await db.update(sessions).set({ endedAt: now }).where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)));
    await db.update(invitations).set({ usedAt: now }).where(and(eq(invitations.userId, userId), isNull(invitations.usedAt)));
  }

  async function startSession(userId: string, method: SignInMethod): Promise<Session> {
    const token = newSecret();
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000);
    await db.insert(sessions).values({ tokenHash: digest(token), userId, method, expiresAt });
    return { token, expiresAt };
  }

  return {
    /**
     * Signs a person in with their address and password. Each attempt is counted first, per account and address,
     * per address and per account (THROTTLE); past the free ones the next waits, longer each time, and is told for
     * how long.
     */
    async signIn(email: string, password: string, address: string): Promise<Session> {
      const account = email.trim().toLowerCase();
      if (account.length > 320 || password.length > PASSWORD_MAX * 4) {
        throw new ServiceFailure(FailureType.Unauthenticated, 'The address or the password is not right.', 'sign-in-failed');
      }
      const place = address.slice(0, 100);
      const keys = keysOf(account, place);
      // The narrowest first: an attempt refused there is counted nowhere else, so one attacker at one place slows
      // that place down and cannot run the account's own count up for everyone else.
      const waitUntil =
        (await countAttempt(keys.pair, THROTTLE.pairAttempts)) ?? (await countAttempt(keys.address, THROTTLE.addressAttempts)) ?? (await countAttempt(keys.account, THROTTLE.accountAttempts));
      if (waitUntil) {
        const seconds = Math.max(1, Math.ceil((waitUntil.getTime() - Date.now()) / 1000));
        throw new ServiceFailure(FailureType.TooManyAttempts, `Too many failed sign-ins: try again in ${seconds} seconds.`, 'sign-in-locked', undefined, seconds);
      }
      const [user] = await db
        .select({ id: users.id, passwordHash: users.passwordHash })
        .from(users)
        .where(and(sql`lower(${users.email}) = ${account}`, isNull(users.revokedAt)));
      decoy ??= hash(newSecret());
      const ok = await verify(user?.passwordHash ?? (await decoy), password).catch(() => false);
      if (!user || !user.passwordHash || !ok) {
        throw new ServiceFailure(FailureType.Unauthenticated, 'The address or the password is not right.', 'sign-in-failed');
      }
      // A sign-in that worked was no failure: the account starts over, the address gets its attempt back.
      await db.delete(signInFailures).where(inArray(signInFailures.key, [keys.pair, keys.account]));
      await db
        .update(signInFailures)
        .set({ failures: sql`greatest(${signInFailures.failures} - 1, 0)` })
        .where(eq(signInFailures.key, keys.address));
      return startSession(user.id, 'password');
    },

    /** An admin clears an account's failed sign-ins, from every place: its next attempt waits for nothing. */
    async unlock(principal: Principal, userId: string): Promise<void> {
      requirePermission(principal, 'administer');
      const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId));
      if (!user) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
      if (!user.email) return;
      const { account, pairPrefix } = keysOf(user.email.trim().toLowerCase(), '');
      await db.delete(signInFailures).where(or(eq(signInFailures.key, account), like(signInFailures.key, `${escapeLike(pairPrefix)}%`)));
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

    /** An admin sets a person's password (a first one, or a reset); their open sessions and links end. */
    async setPassword(principal: Principal, userId: string, password: string): Promise<void> {
      requirePermission(principal, 'administer');
      const [user] = await db.select({ id: users.id }).from(users).where(eq(users.id, userId));
      if (!user) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
      await setPasswordHash(userId, password);
      await closeAccess(userId);
    },

    /** A one-time link for a person to set their password, valid for a week; shown once. */
    async invite(principal: Principal, userId: string): Promise<{ token: string; expiresAt: Date }> {
      requirePermission(principal, 'administer');
      const [user] = await db.select({ id: users.id, revokedAt: users.revokedAt }).from(users).where(eq(users.id, userId));
      if (!user) throw new ServiceFailure(FailureType.NotFound, 'No such user.');
      if (user.revokedAt) throw new ServiceFailure(FailureType.InvalidState, 'This user is revoked.');
      const token = newSecret();
      const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000);
      // A new link replaces any earlier one.
      await db.update(invitations).set({ usedAt: new Date() }).where(and(eq(invitations.userId, userId), isNull(invitations.usedAt)));
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

    /**
     * Sets the password an invitation is for, once, and signs the person in. The code travels in the form's
     * body, never in a URL. A wrong submission (two entries that differ, a password too short) counts against the
     * invitation, which dies at the INVITATION_FAILURES-th, so a code seen once cannot be tried at leisure.
     */
    async acceptInvitation(token: string, password: string, repeat: string = password): Promise<Session> {
      const open = and(eq(invitations.tokenHash, digest(token)), isNull(invitations.usedAt), gt(invitations.expiresAt, new Date()));
      const problem = password !== repeat ? 'The two entries differ.' : passwordProblem(password);
      if (problem) {
        const [counted] = await db
          .update(invitations)
          .set({
            failedAttempts: sql`${invitations.failedAttempts} + 1`,
            usedAt: sql`case when ${invitations.failedAttempts} + 1 >= ${INVITATION_FAILURES} then now() else null end`,
          })
          .where(open)
          .returning({ usedAt: invitations.usedAt });
        if (!counted) throw new ServiceFailure(FailureType.NotFound, 'This invitation was used already or has expired; ask an admin for a new one.');
        if (counted.usedAt) throw new ServiceFailure(FailureType.NotFound, 'Too many wrong attempts: this invitation no longer works; ask an admin for a new one.', 'invitation-voided');
        const code = password !== repeat ? 'password-mismatch' : 'weak-password';
        throw new ServiceFailure(FailureType.Invalid, problem, code, [{ location: 'body', pointer: password !== repeat ? '/repeat' : '/password', message: problem }]);
      }
      const [used] = await db.update(invitations).set({ usedAt: new Date() }).where(open).returning({ userId: invitations.userId });
      if (!used) throw new ServiceFailure(FailureType.NotFound, 'This invitation was used already or has expired; ask an admin for a new one.');
      await setPasswordHash(used.userId, password);
      // A link doubles as a password reset: whoever held the old password is signed out.
      await closeAccess(used.userId);
      return startSession(used.userId, 'password');
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;

