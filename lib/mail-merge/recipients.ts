// Address lists as people type or export them: `Ada <ada@x.com>, "Lovelace, Ada" <ada@y.com>;
// bob@z.com`. Pure and client-safe; used for Cc/Bcc cells of a mail merge and by Compose's paste
// box. It reads structure only: whether an address is valid is messageSchema's call.

export type RecipientEntry = { email: string; name: string };
export type RecipientList = { entries: RecipientEntry[]; invalid: string[] };

export function parseRecipientList(text: string): RecipientList {
  if (text.trim() === '') return { entries: [], invalid: [] };
  const fragments = splitFragments(text);
  const entries: RecipientEntry[] = [];
  const invalid: string[] = [];
  for (let i = 0; i < fragments.length; i++) {
    let { text: fragment } = fragments[i]!;
    const next = fragments[i + 1];
    // Outlook writes `Lovelace, Ada <ada@x.com>` without quotes: a comma-split piece with no
    // address of its own, followed by a piece that starts with a name and has <…>, is one entry.
    if (
      next &&
      fragments[i]!.endedBy === ',' &&
      !fragment.includes('@') &&
      !fragment.includes('<') &&
      /^[^<"]+<[^>]*>$/.test(next.text)
    ) {
      fragment = `${fragment}, ${next.text}`;
      i++;
    }
    const entry = parseOne(fragment);
    if (entry) entries.push(entry);
    else invalid.push(fragment);
  }
  return { entries, invalid };
}

/** A list back to text, quoting names that need it, so that parseRecipientList reads it back. */
export function formatRecipientList(entries: readonly RecipientEntry[]): string {
  return entries
    .map(({ email, name }) => {
      if (!name) return email;
      const quoted = /[",;<>@\\]/.test(name) ? `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : name;
      return `${quoted} <${email}>`;
    })
    .join(', ');
}

type Fragment = { text: string; endedBy: string };

function splitFragments(text: string): Fragment[] {
  const out: Fragment[] = [];
  let start = 0;
  let inQuotes = false;
  // Only quotes protect a separator: an unclosed "<" must not swallow the addresses after it.
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '\\') i++;
      else if (ch === '"') inQuotes = false;
    } else if (ch === '"') inQuotes = true;
    else if (ch === ',' || ch === ';' || ch === '\n' || ch === '\r') {
      push(out, text.slice(start, i), ch);
      start = i + 1;
    }
  }
  push(out, text.slice(start), '');
  return out;
}

function push(out: Fragment[], raw: string, endedBy: string) {
  const text = raw.trim();
  if (text) out.push({ text, endedBy });
}

function parseOne(fragment: string): RecipientEntry | null {
  const open = fragment.lastIndexOf('<');
  if (open === -1) {
    // A bare address: one token. Text with spaces and no <…> is a name without an address.
    if (/[\s<>"]/.test(fragment)) return null;
    return { email: fragment, name: '' };
  }
  const close = fragment.indexOf('>', open);
  if (close === -1 || fragment.slice(close + 1).trim() !== '') return null;
  const email = fragment.slice(open + 1, close).trim();
  if (email === '' || /[\s<>"]/.test(email)) return null;
  return { email, name: unquoteName(fragment.slice(0, open).trim()) };
}

function unquoteName(raw: string): string {
  if (raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"'))
    return raw.slice(1, -1).replace(/\\(.)/g, '$1').trim();
  if (raw.includes('"')) return raw.replace(/"/g, '').trim();
  return raw;
}
