import 'server-only';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import { cookies } from 'next/headers';
import { getDb, tables } from '@/lib/db';
import { recordAudit } from '@/lib/auth/audit';
import { burnPasswordCheck, verifyPassword } from '@/lib/auth/password';
import { requestInfo } from '@/lib/auth/request-info';
import { hmac } from '@/lib/auth/secret';
import { createSession, type SessionUser } from '@/lib/auth/session';
import { throttleDecision } from '@/lib/auth/throttle';
import { findUserByEmail } from '@/lib/auth/users';
import { recordSignInFailure } from '@/lib/metrics/registry';

const DEVICE_COOKIE = 'smx_device';
const HOUR = 3_600_000;

export type SignInResult =
  | { ok: true; user: SessionUser }
  | {
      ok: false;
      error: {
        code: 'invalid_credentials' | 'throttled' | 'disabled';
        message: string;
        retryAfterSeconds?: number;
      };
    };

function safeEqual(a: string, b: string) {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The device id from a valid device cookie issued to this user, if any. */
function readDeviceCookie(value: string | undefined, userId: string | undefined): string | null {
  if (!value || !userId) return null;
  const [owner, nonce, sig] = value.split('.');
  if (!owner || !nonce || !sig || owner !== userId) return null;
  return safeEqual(sig, hmac(`${owner}.${nonce}`)) ? nonce : null;
}

async function failureHistory(email: string, deviceId: string | null) {
  const db = await getDb();
  const hourAgo = new Date(Date.now() - HOUR);
  const [lastSuccess] = await db
    .select({ at: tables.auditEvents.createdAt })
    .from(tables.auditEvents)
    .where(
      and(
        eq(tables.auditEvents.action, 'sign_in.success'),
        eq(tables.auditEvents.target, email),
        gt(tables.auditEvents.createdAt, hourAgo),
      ),
    )
    .orderBy(desc(tables.auditEvents.createdAt))
    .limit(1);
  const since = lastSuccess?.at ?? hourAgo;
  const counted = and(
    eq(tables.auditEvents.action, 'sign_in.failure'),
    eq(tables.auditEvents.target, email),
    sql`coalesce(${tables.auditEvents.detail}->>'reason', '') <> 'throttled'`,
  );
  const untrusted = await db
    .select({ at: tables.auditEvents.createdAt })
    .from(tables.auditEvents)
    .where(
      and(
        counted,
        gt(tables.auditEvents.createdAt, since),
        sql`coalesce(${tables.auditEvents.detail}->>'trusted', 'false') <> 'true'`,
      ),
    )
    .orderBy(tables.auditEvents.createdAt);
  let deviceFailures = 0;
  if (deviceId) {
    const [row] = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(tables.auditEvents)
      .where(
        and(
          counted,
          gt(tables.auditEvents.createdAt, hourAgo),
          sql`${tables.auditEvents.detail}->>'device' = ${deviceId}`,
        ),
      );
    deviceFailures = row?.n ?? 0;
  }
  return { untrustedFailures: untrusted.map((r) => r.at.getTime()), deviceFailures };
}

export async function signIn(input: { email: string; password: string }): Promise<SignInResult> {
  const email = input.email.trim().toLowerCase();
  const jar = await cookies();
  const { ip, secure } = await requestInfo();
  const user = await findUserByEmail(email);
  const deviceId = readDeviceCookie(jar.get(DEVICE_COOKIE)?.value, user?.id);
  const history = await failureHistory(email, deviceId);
  const decision = throttleDecision({ now: Date.now(), ...history, deviceTrusted: deviceId !== null });

  if (!decision.allowed) {
    recordSignInFailure('throttled');
    await recordAudit({
      action: 'sign_in.failure',
      target: email,
      ip,
      detail: { reason: 'throttled', device: deviceId },
    });
    return {
      ok: false,
      error: {
        code: 'throttled',
        message: `Too many failed sign-ins for this account. Wait ${decision.retryAfterSeconds} s and try again.`,
        retryAfterSeconds: decision.retryAfterSeconds,
      },
    };
  }

  const passwordOk = user
    ? await verifyPassword(input.password, user.passwordHash)
    : (await burnPasswordCheck(input.password), false);
  if (!user || !passwordOk) {
    recordSignInFailure(user ? 'bad_password' : 'unknown_account');
    await recordAudit({
      action: 'sign_in.failure',
      target: email,
      ip,
      detail: {
        reason: user ? 'bad_password' : 'unknown_account',
        trusted: decision.trusted,
        device: deviceId,
      },
    });
    return {
      ok: false,
      error: { code: 'invalid_credentials', message: 'The email or password is incorrect.' },
    };
  }
  if (user.disabledAt) {
    recordSignInFailure('disabled');
    await recordAudit({
      action: 'sign_in.failure',
      target: email,
      ip,
      detail: { reason: 'disabled', device: deviceId },
    });
    return {
      ok: false,
      error: { code: 'disabled', message: 'This account is disabled. Ask an admin to enable it.' },
    };
  }

  await createSession(user.id);
  await recordAudit({
    action: 'sign_in.success',
    actor: { id: user.id, email },
    target: email,
    ip,
    detail: { device: deviceId },
  });
  if (!deviceId) {
    const nonce = randomBytes(12).toString('base64url');
    jar.set(DEVICE_COOKIE, `${user.id}.${nonce}.${hmac(`${user.id}.${nonce}`)}`, {
      httpOnly: true,
      sameSite: 'lax',
      secure,
      path: '/',
      maxAge: 60 * 60 * 24 * 365,
    });
  }
  return { ok: true, user: { id: user.id, email, name: user.name, role: user.role } };
}
