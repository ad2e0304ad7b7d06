import type { HeaderLine, MimePart } from '@/lib/compose/message-structure';
import { formatBytes } from '@/lib/format/display';

/** The headers and MIME tree of a message (the preview's Headers tab). */
export function MessageHeaders({ headers, parts }: { headers: HeaderLine[]; parts: MimePart[] }) {
  return (
    <div className="grid gap-4">
      <section aria-labelledby="headers-heading" className="grid gap-1.5">
        <h3 id="headers-heading" className="text-sm font-medium">
          Headers
        </h3>
        <p className="text-muted-foreground text-xs">
          What Sendmux writes from these fields. It adds Date, Message-ID and the MIME boundaries when it
          sends; Bcc recipients get the message but are never written into it.
        </p>
        <table className="bg-card w-full table-fixed rounded-lg border font-mono text-xs">
          <caption className="sr-only">Message headers</caption>
          <colgroup>
            <col className="w-32" />
            <col />
          </colgroup>
          <tbody>
            {headers.map((h, i) => (
              <tr key={`${h.name}-${i}`} className="border-b last:border-0">
                <th scope="row" className="px-3 py-1.5 text-left align-top font-semibold">
                  {h.name}:
                </th>
                <td className="px-3 py-1.5 break-all">{h.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="mime-heading" className="grid gap-1.5">
        <h3 id="mime-heading" className="text-sm font-medium">
          MIME structure
        </h3>
        <ul aria-labelledby="mime-heading" className="bg-card grid gap-1 rounded-lg border p-3 text-xs">
          {parts.map((p, i) => (
            <li key={i} style={{ paddingLeft: `${p.depth * 1.25}rem` }} className="flex flex-wrap gap-x-2">
              <code className="font-mono font-semibold">{p.type}</code>
              <span className="text-muted-foreground">
                {p.label}
                {p.bytes === null ? '' : ` · ${formatBytes(p.bytes)}`}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

/** The raw HTML with line numbers (the preview's Source tab). */
export function HtmlSource({ html }: { html: string }) {
  const lines = html.split(/\r\n|\r|\n/);
  return (
    <div
      role="region"
      aria-label="HTML source"
      tabIndex={0}
      className="bg-card focus-visible:ring-ring max-h-[620px] overflow-auto rounded-lg border font-mono text-xs focus-visible:ring-2 focus-visible:outline-none"
    >
      <ol className="py-2">
        {lines.map((line, i) => (
          <li key={i} className="flex">
            <span
              aria-hidden
              className="text-muted-foreground w-12 shrink-0 pr-3 text-right tabular-nums select-none"
            >
              {i + 1}
            </span>
            <code className="pr-3 break-all whitespace-pre-wrap">{line || ' '}</code>
          </li>
        ))}
      </ol>
    </div>
  );
}
