import 'server-only';
import { Parser } from 'htmlparser2';

// The link half of the HTML check: every href of an <a> or <area> must be an http(s) or mailto
// URL a mail client can open. htmlparser2 decodes entities, so `&#106;avascript:` is caught too.

export type LinkProblemReason = 'empty' | 'javascript' | 'scheme' | 'invalid' | 'mailto-empty';
export type LinkProblem = { href: string; text: string; line: number; reason: LinkProblemReason };
export type LinkCheck = {
  /** Links whose href was checked. */
  checked: number;
  /** Links whose href starts with a {{variable}}: filled per row, so only the merged message can be checked. */
  templated: number;
  problems: LinkProblem[];
};

const TEMPLATE_START = /^\{\{\s*[^}]+\}\}/;

function problemOf(raw: string): LinkProblemReason | null {
  // Browsers drop leading/trailing whitespace and tabs or newlines anywhere in a URL.
  const href = raw.replace(/[\t\n\r]/g, '').trim();
  if (href === '') return 'empty';
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  if (scheme === 'javascript' || scheme === 'vbscript') return 'javascript';
  if (scheme !== 'http' && scheme !== 'https' && scheme !== 'mailto') return 'scheme';
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return 'invalid';
  }
  if (scheme === 'mailto') return url.pathname.trim() === '' ? 'mailto-empty' : null;
  return url.hostname === '' ? 'invalid' : null;
}

/** Checks every link of an HTML body; with `templates`, hrefs that start with `{{…}}` are counted apart. */
export function checkLinks(html: string, { templates = false }: { templates?: boolean } = {}): LinkCheck {
  const result: LinkCheck = { checked: 0, templated: 0, problems: [] };
  const lineStarts = [0];
  for (let i = html.indexOf('\n'); i !== -1; i = html.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (index: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };

  const open: { problem: LinkProblem | null; text: string }[] = [];
  const parser = new Parser(
    {
      onopentag(name, attrs) {
        if (name !== 'a' && name !== 'area') return;
        const href = attrs.href;
        let problem: LinkProblem | null = null;
        if (href !== undefined) {
          if (templates && TEMPLATE_START.test(href.trim())) result.templated++;
          else {
            result.checked++;
            const reason = problemOf(href);
            if (reason) problem = { href, text: attrs.alt ?? '', line: lineOf(parser.startIndex), reason };
          }
        }
        if (name === 'a') open.push({ problem, text: '' });
        else if (problem) result.problems.push(problem);
      },
      ontext(text) {
        for (const a of open) a.text += text;
      },
      onclosetag(name) {
        if (name !== 'a') return;
        const a = open.pop();
        if (a?.problem) result.problems.push({ ...a.problem, text: a.text.replace(/\s+/g, ' ').trim() });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();
  return { ...result, problems: result.problems.sort((x, y) => x.line - y.line) };
}
