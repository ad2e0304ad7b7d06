import 'server-only';
import { checkClientSupport, type ClientSupportCheck } from '@/lib/html-check/client-support';
import { checkLinks, type LinkCheck } from '@/lib/html-check/links';

export type HtmlCheck = { support: ClientSupportCheck; links: LinkCheck };

/**
 * The preview's Check tab and the batch preflight's template check: what the HTML uses that
 * common clients do not support, and every link that is not http(s) or mailto.
 */
export function checkHtml(html: string, options: { templates?: boolean } = {}): HtmlCheck {
  return { support: checkClientSupport(html), links: checkLinks(html, options) };
}
