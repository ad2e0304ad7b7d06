import 'server-only';
import { convert } from 'html-to-text';

/**
 * The text body for an HTML body, as "Generate text from HTML" fills it: wrapped at 78 columns,
 * links kept as "text [url]", images dropped. Sendmux's own tags ([DP_NAME], …) are plain text to
 * html-to-text and pass through as written.
 */
export function htmlToText(html: string): string {
  return convert(html, { wordwrap: 78, selectors: [{ selector: 'img', format: 'skip' }] });
}
