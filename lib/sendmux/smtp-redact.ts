import 'server-only';
// Pure: the transcript as stored and shown never holds the key, in clear or encoded.

export const SECRET_MASK = '***';

/** The key as it can appear on the wire: itself, and base64 at every alignment (AUTH PLAIN/LOGIN carry it encoded). */
export function secretForms(secret: string): string[] {
  if (secret.length < 8) return [secret];
  const forms = new Set([secret]);
  for (const shift of [0, 1, 2]) {
    const b64 = Buffer.from(`${'x'.repeat(shift)}${secret}`).toString('base64');
    // Characters at the edges depend on the neighbouring bytes; the middle is the same in any token.
    const middle = b64.slice(shift === 0 ? 0 : 4, -4);
    if (middle.length >= 8) forms.add(middle);
  }
  return [...forms];
}

export function scrubSecret(text: string, forms: readonly string[]): string {
  let out = text;
  for (const f of forms) if (out.includes(f)) out = out.split(f).join(SECRET_MASK);
  return out;
}

/** base64 texts of the AUTH LOGIN prompts, shown with what they say. */
const PROMPTS: Record<string, string> = {
  VXNlcm5hbWU6: 'Username:',
  UGFzc3dvcmQ6: 'Password:',
};

export function decodePrompt(serverLine: string): string | undefined {
  const m = /^334 (\S+)$/.exec(serverLine.trim());
  return m ? PROMPTS[m[1]!] : undefined;
}

/**
 * A command line as the transcript shows it. The AUTH PLAIN token and the AUTH LOGIN password
 * line become `***` whatever they hold; the AUTH LOGIN username is shown decoded beside itself.
 * `after` is the server line this command answers.
 */
export function redactCommand(
  line: string,
  after: string | undefined,
  forms: readonly string[],
): { text: string; note?: string } {
  const plain = /^(AUTH\s+PLAIN)(\s+\S+)?$/i.exec(line);
  if (plain) return { text: plain[2] ? `${plain[1]} ${SECRET_MASK}` : plain[1]! };
  const prompt = after ? decodePrompt(after) : undefined;
  if (prompt === 'Password:') return { text: SECRET_MASK, note: 'the key, never shown' };
  // AUTH PLAIN sent in two steps: the token answers a bare 334.
  if (after !== undefined && /^334\s*$/.test(after.trim())) return { text: SECRET_MASK };
  if (prompt === 'Username:') {
    const user = Buffer.from(line, 'base64').toString('utf8');
    return { text: scrubSecret(line, forms), note: `base64 of "${scrubSecret(user, forms)}"` };
  }
  return { text: scrubSecret(line, forms) };
}
