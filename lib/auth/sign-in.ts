import 'server-only';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { cookies } from 'next/headers';
import { recordAudit } from '@/lib/auth/audit';
import { cookieName, cookieOptions } from '@/lib/auth/cookies';
import { burnPasswordCheck, PasswordCheckBusyError, verifyPassword } from '@/lib/auth/password';
import { requestInfo } from '@/lib/auth/request-info';
import { hmac } from '@/lib/auth/secret';
import { createSession, type SessionUser } from '@/lib/auth/session';
import {
  accountKey,
  addressKey,
  deviceKey,
  reserveAttempt,
  settleSuccess,
  type ThrottleKey,
} from '@/lib/auth/throttle';
import { findUserByEmail } from '@/lib/auth/users';
import { recordSignInFailure } from '@/lib/metrics/registry';

export type SignInError = {
  code: 'invalid_credentials' | 'throttled' | 'disabled' | 'busy';
  message: string;
  retryAfterSeconds?: number;
};

export type SignInResult = { ok: true; user: SessionUser } | { ok: false; error: SignInError };

export type CredentialCheck =
  { ok: true; user: SessionUser; deviceId: string | null } | { ok: false; error: SignInError };

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

const throttled = (retryAfterSeconds: number): SignInError => ({
  code: 'throttled',
  message: `Too many sign-in attempts for this account or from this address. Wait ${retryAfterSeconds} s and try again.`,
  retryAfterSeconds,
});

/**
 * Checks an email and password, throttled: the attempt is counted (per account and per client
 * address, or per device cookie for a browser that signed in before) before scrypt runs, so
 * parallel guesses are held to the same budget as sequential ones. Starts no session.
 */
export async function checkCredentials(input: {
  email: string;
  password: string;
  ip: string | null;
  deviceCookie?: string;
  now?: number;
}): Promise<CredentialCheck> {
  const email = input.email.trim().toLowerCase();
  const now = input.now ?? Date.now();
  const { ip } = input;
  const user = await findUserByEmail(email);
  const deviceId = readDeviceCookie(input.deviceCookie, user?.id);
  const untrusted: ThrottleKey[] = [accountKey(email), ...(ip ? [addressKey(ip)] : [])];

  let trustedDevice = deviceId !== null;
  let keys = deviceId ? [deviceKey(deviceId)] : untrusted;
  let reservation = await reserveAttempt(keys, now);
  if (!reservation.allowed && trustedDevice) {
    // A device cookie that keeps failing is no longer a reason to skip the account's count.
    trustedDevice = false;
    keys = untrusted;
    reservation = await reserveAttempt(keys, now);
  }

  const fail = async (reason: string, error: SignInError): Promise<CredentialCheck> => {
    recordSignInFailure(reason);
    await recordAudit({ action: 'sign_in.failure', target: email, ip, detail: { reason, trustedDevice } });
    return { ok: false, error };
  };

  if (!reservation.allowed) return fail('throttled', throttled(reservation.retryAfterSeconds));

  let passwordOk: boolean;
  try {
    passwordOk = user
      ? await verifyPassword(input.password, user.passwordHash)
      : (await burnPasswordCheck(input.password), false);
  } catch (err) {
    if (!(err instanceof PasswordCheckBusyError)) throw err;
    return fail('busy', {
      code: 'busy',
      message: 'The server is busy checking other sign-ins. Try again in a few seconds.',
      retryAfterSeconds: 5,
    });
  }
  if (!user || !passwordOk)
    return fail(user ? 'bad_password' : 'unknown_account', {
      code: 'invalid_credentials',
      message: 'The email or password is incorrect.',
    });
  if (user.disabledAt)
    return fail('disabled', {
      code: 'disabled',
      message: 'This account is disabled. Ask an admin to enable it.',
    });

  // Only a successful attempt gives its count back: the account (or device) starts afresh, and
  // the address keeps the count of everyone else's failures.
  await settleSuccess(
    keys.filter((k) => !k.key.startsWith('address:')),
    keys.filter((k) => k.key.startsWith('address:')),
  );
  await recordAudit({
    action: 'sign_in.success',
    actor: { id: user.id, email },
    target: email,
    ip,
    detail: { trustedDevice },
  });
  return { ok: true, user: { id: user.id, email, name: user.name, role: user.role }, deviceId };
}

/** Sign-in from a request: the credentials check, then the session and device cookies. */
export async function signIn(input: { email: string; password: string }): Promise<SignInResult> {
  const jar = await cookies();
  const { ip } = await requestInfo();
  const deviceName = cookieName('smx_device');
  // Before __Host- names (an http APP_URL changed to https), a device cookie was plain smx_device.
  const deviceCookie = jar.get(deviceName)?.value ?? jar.get('smx_device')?.value;
  const check = await checkCredentials({ ...input, ip, deviceCookie });
  if (!check.ok) return check;
  const { user, deviceId } = check;
  await createSession(user.id);
  if (!deviceId || !jar.has(deviceName)) {
    const nonce = deviceId ?? randomBytes(12).toString('base64url');
    jar.set(deviceName, `${user.id}.${nonce}.${hmac(`${user.id}.${nonce}`)}`, {
      ...cookieOptions(),
      maxAge: 60 * 60 * 24 * 365,
    });
  }
  return { ok: true, user };
}
