import 'server-only';

// Browsers read `\` as `/` and drop tabs and line breaks inside URLs, so `/\evil.example` and
// `/<TAB>/evil.example` are protocol-relative links to another site. Anything holding one, raw or
// percent-encoded, is refused rather than cleaned.
const UNSAFE = /[\\\u0000-\u001f\u007f]/;

function decodedOnce(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * Where to send a browser after sign-in: a path on this console, or null. `next` is resolved
 * against APP_URL and accepted only when it stays on that origin; what comes back is the path,
 * query and fragment alone, so the redirect can never name another host.
 */
export function safeReturnPath(next: string | null | undefined, appUrl: string): string | null {
  if (!next || next.length > 2048 || !next.startsWith('/') || UNSAFE.test(next)) return null;
  const decoded = decodedOnce(next);
  if (decoded === null || UNSAFE.test(decoded) || decoded.startsWith('//')) return null;
  let base: URL;
  let url: URL;
  try {
    base = new URL(appUrl);
    url = new URL(next, base);
  } catch {
    return null;
  }
  if (url.origin !== base.origin) return null;
  const path = url.pathname + url.search + url.hash;
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/sign-in')) return null;
  return path;
}
