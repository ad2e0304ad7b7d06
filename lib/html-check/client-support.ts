import 'server-only';
import { DoIUseEmail } from '@jsx-email/doiuse-email';

// The HTML and CSS half of the HTML check, from caniemail's data (through doiuse-email): which
// features the message uses that common clients do not support, or support only in part.

/** The clients checked: the ones most mail is read in, by name and platform. */
export const EMAIL_CLIENTS = [
  { id: 'gmail.desktop-webmail', name: 'Gmail', platform: 'web' },
  { id: 'gmail.ios', name: 'Gmail', platform: 'iOS' },
  { id: 'gmail.android', name: 'Gmail', platform: 'Android' },
  { id: 'apple-mail.macos', name: 'Apple Mail', platform: 'macOS' },
  { id: 'apple-mail.ios', name: 'Apple Mail', platform: 'iOS' },
  { id: 'outlook.windows', name: 'Outlook', platform: 'Windows' },
  { id: 'outlook.windows-mail', name: 'Outlook', platform: 'Windows Mail' },
  { id: 'outlook.macos', name: 'Outlook', platform: 'macOS' },
  { id: 'outlook.ios', name: 'Outlook', platform: 'iOS' },
  { id: 'outlook.android', name: 'Outlook', platform: 'Android' },
  { id: 'yahoo.desktop-webmail', name: 'Yahoo Mail', platform: 'web' },
  { id: 'samsung-email.android', name: 'Samsung Email', platform: 'Android' },
  { id: 'thunderbird.macos', name: 'Thunderbird', platform: 'macOS' },
  { id: 'protonmail.desktop-webmail', name: 'Proton Mail', platform: 'web' },
  { id: 'fastmail.desktop-webmail', name: 'Fastmail', platform: 'web' },
] as const;
export type EmailClientId = (typeof EMAIL_CLIENTS)[number]['id'];

export type FeatureSupport = {
  /** caniemail's title: `display:grid`, `<video> element`, `@media`, … */
  name: string;
  link: string;
  unsupported: EmailClientId[];
  partial: EmailClientId[];
  /** caniemail's notes on this feature for the clients above, one line each. */
  notes: { client: EmailClientId; text: string }[];
};
export type ClientSupport = {
  client: EmailClientId;
  name: string;
  platform: string;
  support: 'full' | 'partial' | 'none';
};
export type ClientSupportCheck = {
  /** 0–100: the share of the clients that show everything this message uses (a partial one counts half). */
  score: number;
  clients: ClientSupport[];
  features: FeatureSupport[];
  /** Set when the HTML or its CSS could not be read; the lists are then empty. */
  failure: string | null;
};

const CLIENT_IDS: readonly string[] = EMAIL_CLIENTS.map((c) => c.id);
const isClient = (id: string): id is EmailClientId => CLIENT_IDS.includes(id);

const UNSUPPORTED = /^`(.+)` is not supported by `([^`]+)`$/;
const PARTIAL = /^`(.+)` is only partially supported by `([^`]+)`$/;
const NOTE = /^Note about `(.+)` support for `([^`]+)`: ([\s\S]*)$/;

let links: Map<string, string> | null = null;
/** caniemail's page of every feature, by title (features any one client supports list their link). */
function featureLink(name: string): string {
  if (!links) {
    links = new Map();
    for (const id of CLIENT_IDS)
      for (const f of new DoIUseEmail({ emailClients: [id] }).getSupportedFeatures())
        links.set(f.name, f.link);
  }
  return links.get(name) ?? `https://www.caniemail.com/search/?s=${encodeURIComponent(name)}`;
}

/** Groups doiuse-email's sentences ("`x` is not supported by `client`") by feature. */
export function groupFindings(errors: string[], warnings: string[], notes: string[]): FeatureSupport[] {
  const byName = new Map<string, FeatureSupport>();
  const feature = (name: string) => {
    let f = byName.get(name);
    if (!f) {
      f = { name, link: '', unsupported: [], partial: [], notes: [] };
      byName.set(name, f);
    }
    return f;
  };
  for (const line of errors) {
    const m = UNSUPPORTED.exec(line);
    if (m && isClient(m[2]!)) feature(m[1]!).unsupported.push(m[2]);
  }
  for (const line of warnings) {
    const m = PARTIAL.exec(line);
    if (m && isClient(m[2]!)) feature(m[1]!).partial.push(m[2]);
  }
  for (const line of notes) {
    const m = NOTE.exec(line);
    if (m && isClient(m[2]!) && byName.has(m[1]!)) feature(m[1]!).notes.push({ client: m[2], text: m[3]! });
  }
  const order = (c: EmailClientId) => CLIENT_IDS.indexOf(c);
  return [...byName.values()]
    .map((f) => ({
      ...f,
      unsupported: [...new Set(f.unsupported)].sort((a, b) => order(a) - order(b)),
      partial: [...new Set(f.partial)]
        .filter((c) => !f.unsupported.includes(c))
        .sort((a, b) => order(a) - order(b)),
    }))
    .sort(
      (a, b) =>
        b.unsupported.length - a.unsupported.length ||
        b.partial.length - a.partial.length ||
        a.name.localeCompare(b.name),
    );
}

/** Each client's support of the whole message, and the score they add up to. */
export function scoreClients(features: FeatureSupport[]): { score: number; clients: ClientSupport[] } {
  const clients = EMAIL_CLIENTS.map(({ id, name, platform }): ClientSupport => ({
    client: id,
    name,
    platform,
    support: features.some((f) => f.unsupported.includes(id))
      ? 'none'
      : features.some((f) => f.partial.includes(id))
        ? 'partial'
        : 'full',
  }));
  const points = clients.reduce(
    (sum, c) => sum + (c.support === 'full' ? 1 : c.support === 'partial' ? 0.5 : 0),
    0,
  );
  return { score: Math.round((100 * points) / clients.length), clients };
}

export function checkClientSupport(html: string): ClientSupportCheck {
  let result: ReturnType<DoIUseEmail['check']>;
  try {
    result = new DoIUseEmail({ emailClients: [...CLIENT_IDS] }).check(html);
  } catch (err) {
    // A stylesheet css-tools cannot parse throws; the message is worth showing, the stack is not.
    const { score, clients } = scoreClients([]);
    return { score, clients, features: [], failure: (err as Error).message.split('\n')[0] ?? 'Unreadable' };
  }
  const features = groupFindings(result.success ? [] : result.errors, result.warnings, result.notes).map(
    (f) => ({
      ...f,
      link: featureLink(f.name),
    }),
  );
  return { ...scoreClients(features), features, failure: null };
}
