import { describe, expect, it } from 'vitest';
import { framePolicy, hasRemoteContent, withFramePolicy } from '@/components/email-frame';

describe('email preview policy', () => {
  it('blocks everything remote until remote images are allowed, and then only images', () => {
    expect(framePolicy(false)).toBe(
      "default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'; font-src data:",
    );
    expect(framePolicy(true)).toContain('img-src data: cid: https: http:');
    expect(framePolicy(true)).toContain("default-src 'none'");
  });

  it('goes first, after a doctype when there is one', () => {
    const meta = `<meta http-equiv="Content-Security-Policy" content="${framePolicy(false)}">`;
    expect(withFramePolicy('<p>Hi</p>', false)).toBe(`${meta}<p>Hi</p>`);
    expect(withFramePolicy('<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head></html>', false)).toBe(
      `<!DOCTYPE html>${meta}\n<html><head><meta charset="utf-8"></head></html>`,
    );
    expect(withFramePolicy('  <!doctype html><p>x</p>', false).indexOf(meta)).toBe(
      '  <!doctype html>'.length,
    );
  });

  it('notices remote images, backgrounds and stylesheets, not links or data URLs', () => {
    expect(hasRemoteContent('<img src="https://t.example/p.gif">')).toBe(true);
    expect(hasRemoteContent("<img src='//t.example/p.gif'>")).toBe(true);
    expect(hasRemoteContent('<img srcset="http://t.example/a.png 2x">')).toBe(true);
    expect(hasRemoteContent('<td background="https://t.example/bg.png">')).toBe(true);
    expect(hasRemoteContent('<div style="background:url( \'https://t.example/bg.png\')">')).toBe(true);
    expect(hasRemoteContent('<style>@import "https://t.example/a.css";</style>')).toBe(true);
    expect(
      hasRemoteContent('<a href="https://example.com">link</a><img src="data:image/png;base64,AA==">'),
    ).toBe(false);
  });
});
