import { describe, expect, it } from 'vitest';
import {
  checkClientSupport,
  EMAIL_CLIENTS,
  groupFindings,
  scoreClients,
} from '@/lib/html-check/client-support';

describe('groupFindings', () => {
  it('groups caniemail findings by feature, worst first, and keeps notes of known clients only', () => {
    const features = groupFindings(
      [
        '`display:grid` is not supported by `gmail.desktop-webmail`',
        '`display:grid` is not supported by `outlook.windows`',
        '`<form> element` is not supported by `outlook.windows`',
        '`<form> element` is not supported by `hey.desktop-webmail`',
      ],
      ['`@media` is only partially supported by `gmail.android`'],
      [
        'Note about `@media` support for `gmail.android`: Partial. Not supported with non Google accounts.',
        'Note about `@media` support for `hey.desktop-webmail`: not one of ours.',
        'Note about `width` support for `outlook.windows`: about a feature not found.',
      ],
    );
    expect(features.map((f) => [f.name, f.unsupported, f.partial])).toEqual([
      ['display:grid', ['gmail.desktop-webmail', 'outlook.windows'], []],
      ['<form> element', ['outlook.windows'], []],
      ['@media', [], ['gmail.android']],
    ]);
    expect(features[2]!.notes).toEqual([
      { client: 'gmail.android', text: 'Partial. Not supported with non Google accounts.' },
    ]);
  });
});

describe('scoreClients', () => {
  it('is 100 with nothing found, and counts a partial client half', () => {
    expect(scoreClients([]).score).toBe(100);
    const one = EMAIL_CLIENTS.length;
    const { score, clients } = scoreClients([
      { name: 'a', link: '', unsupported: ['outlook.windows'], partial: ['gmail.android'], notes: [] },
      { name: 'b', link: '', unsupported: [], partial: ['outlook.windows'], notes: [] },
    ]);
    expect(score).toBe(Math.round((100 * (one - 1.5)) / one));
    expect(clients.find((c) => c.client === 'outlook.windows')?.support).toBe('none');
    expect(clients.find((c) => c.client === 'gmail.android')?.support).toBe('partial');
    expect(clients.find((c) => c.client === 'apple-mail.macos')?.support).toBe('full');
  });
});

describe('checkClientSupport (caniemail data)', () => {
  it('finds what Outlook and Gmail lack in a real message, with caniemail links', () => {
    const check = checkClientSupport(
      `<html><head><style>.card:hover { color: red }</style></head>
       <body><div style="display: grid; border-radius: 8px">Hi</div><video src="a.mp4"></video></body></html>`,
    );
    expect(check.failure).toBeNull();
    const grid = check.features.find((f) => f.name === 'display:grid');
    expect(grid?.unsupported).toEqual(expect.arrayContaining(['gmail.desktop-webmail', 'outlook.windows']));
    expect(grid?.link).toMatch(/^https:\/\/www\.caniemail\.com\/features\//);
    expect(check.features.find((f) => f.name === '<video> element')?.unsupported).toContain(
      'outlook.windows',
    );
    expect(check.features.find((f) => f.name === 'border-radius')?.unsupported).toContain('outlook.windows');
    expect(check.clients.find((c) => c.client === 'outlook.windows')?.support).toBe('none');
    expect(check.score).toBeLessThan(100);
  });

  it('scores a plain message at 100', () => {
    const check = checkClientSupport('<p>Hello <a href="https://example.com">there</a></p>');
    expect(check).toMatchObject({ score: 100, features: [], failure: null });
  });
});
