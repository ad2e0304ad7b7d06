import { describe, expect, it } from 'vitest';
import { htmlToText } from '@/lib/templates/html-text';

describe('htmlToText', () => {
  it("leaves Sendmux's own tags as written, in text and in attributes", () => {
    const text = htmlToText(
      '<h1>Hello [DP_NAME]</h1><p>Your code is [DP_CODE].</p><a href="https://example.com/u/[DP_ID]">Unsubscribe</a>',
    );
    expect(text).toContain('HELLO [DP_NAME]');
    expect(text).toContain('Your code is [DP_CODE].');
    expect(text).toContain('Unsubscribe [https://example.com/u/[DP_ID]]');
  });

  it('drops images and scripts, keeps paragraphs apart and wraps long lines at 78 columns', () => {
    const text = htmlToText(
      `<p>First</p><img src="x.png" alt="logo"><script>alert(1)</script><p>${'word '.repeat(40)}</p>`,
    );
    expect(text).not.toMatch(/logo|x\.png|alert/);
    expect(text.startsWith('First\n\n')).toBe(true);
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(78);
  });
});
