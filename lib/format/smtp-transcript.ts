// Client-safe: an SMTP test send's transcript as the panel, the request log and the support
// bundle show it. The lines are already redacted when they get here (lib/sendmux/smtp.ts).

export type TranscriptKind = 'client' | 'server' | 'info' | 'tls' | 'error';

export type TranscriptLine = {
  /** Milliseconds since the test started. */
  at: number;
  kind: TranscriptKind;
  /** One line, or a multi-line reply (EHLO) joined by \n. */
  text: string;
  /** What an encoded line says, e.g. `base64 of "Username:"`. */
  note?: string;
};

export type SmtpTestOutcome = {
  ok: boolean;
  /** smtp://host:port the test went to. */
  server: string;
  /** The last reply code the server gave: 250 on success, the refusing code on failure; null without one. */
  replyCode: number | null;
  /** That reply line. */
  reply: string | null;
  /** The id from `250 … queued as <id>`. */
  queuedId: string | null;
  /** smtp_… code (lib/errors/smtp.ts) on failure. */
  errorCode: string | null;
  /** The client's own account of the failure (system error, TLS reason). */
  message: string | null;
  durationMs: number;
  logId: number;
};

export type SmtpTestEvent =
  { type: 'line'; line: TranscriptLine } | { type: 'done'; outcome: SmtpTestOutcome };

const PREFIX: Record<TranscriptKind, string> = {
  client: 'C:',
  server: 'S:',
  info: '--',
  tls: '**',
  error: '!!',
};

/** The id a `250 2.0.0 OK: queued as eml_…` reply names. */
export function queuedIdOf(reply: string): string | null {
  const token = /queued as\s+(\S+)/i.exec(reply)?.[1];
  return token?.replace(/^<|[>).,;]+$/g, '') || null;
}

export type TimedLine = TranscriptLine & {
  /** For a server reply: the time since what it answers (the command, the connection, the message data). */
  stepMs: number | null;
};

/**
 * Each server reply with the time it took. Replies answer in order (PIPELINING sends MAIL FROM,
 * RCPT TO and DATA at once), so each one answers the oldest command still waiting.
 */
export function withStepTimes(lines: readonly TranscriptLine[]): TimedLine[] {
  const waiting: number[] = [];
  return lines.map((line) => {
    if (line.kind === 'server') {
      const since = waiting.shift();
      return { ...line, stepMs: since === undefined ? null : Math.max(0, line.at - since) };
    }
    // The greeting answers the connection; the final 250 answers the message data.
    if (line.kind === 'client' || (line.kind === 'info' && /^(Connected to |Message sent)/.test(line.text)))
      waiting.push(line.at);
    return { ...line, stepMs: null };
  });
}

const ms = (n: number) => `${Math.round(n)} ms`;

/** Plain text, one line per transcript line: `+   12 ms  S: 220 …  (3 ms)`. */
export function transcriptText(lines: readonly TranscriptLine[]): string {
  return withStepTimes(lines)
    .flatMap((l) => {
      const [first = '', ...more] = l.text.split('\n');
      const step = l.stepMs !== null ? `  (${ms(l.stepMs)})` : '';
      const note = l.note ? `  [${l.note}]` : '';
      const head = `+${String(Math.round(l.at)).padStart(6)} ms  ${PREFIX[l.kind]} ${first}${note}${step}`;
      return [head, ...more.map((m) => `${' '.repeat(13)}${PREFIX[l.kind]} ${m}`)];
    })
    .join('\n');
}

/** A stored transcript, checked: the request log holds it as jsonb. */
export function transcriptOf(value: unknown): TranscriptLine[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((v) => {
    if (typeof v !== 'object' || v === null) return [];
    const { at, kind, text, note } = v as Record<string, unknown>;
    if (typeof at !== 'number' || typeof text !== 'string') return [];
    if (!['client', 'server', 'info', 'tls', 'error'].includes(String(kind))) return [];
    return [{ at, kind: kind as TranscriptKind, text, ...(typeof note === 'string' ? { note } : {}) }];
  });
}
