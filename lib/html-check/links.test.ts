import { describe, expect, it } from 'vitest';
import { checkLinks } from '@/lib/html-check/links';

describe('checkLinks', () => {
  it('accepts http, https and mailto links', () => {
    const html = `<a href="https://example.com/a?b=1">A</a> <a href="HTTP://example.com">B</a>
      <a href="mailto:ada@example.com?subject=Hi">Mail</a> <a name="top">anchor without href</a>`;
    expect(checkLinks(html)).toEqual({ checked: 3, templated: 0, problems: [] });
  });

  it('lists each bad link with its text, line and reason', () => {
    const html = [
      '<p>',
      '<a href="">Empty</a>',
      '<a href="   ">Blank</a>',
      '<a href="javascript:alert(1)">Click <b>me</b></a>',
      '<a href="/relative/path">Relative</a><a href="#top">Anchor</a>',
      '<a href="ftp://example.com/file">FTP</a>',
      '<a href="https://">No host</a>',
      '<a href="mailto:">Nobody</a>',
      '<map><area href="tel:+100" alt="Call"></map>',
      '</p>',
    ].join('\n');
    const { checked, problems } = checkLinks(html);
    expect(checked).toBe(9);
    expect(problems.map((p) => [p.line, p.reason, p.text])).toEqual([
      [2, 'empty', 'Empty'],
      [3, 'empty', 'Blank'],
      [4, 'javascript', 'Click me'],
      [5, 'scheme', 'Relative'],
      [5, 'scheme', 'Anchor'],
      [6, 'scheme', 'FTP'],
      [7, 'invalid', 'No host'],
      [8, 'mailto-empty', 'Nobody'],
      [9, 'scheme', 'Call'],
    ]);
    expect(problems[2]!.href).toBe('javascript:alert(1)');
  });

  it('sees through entities, case, whitespace and newlines in the scheme', () => {
    const html = `<a href="&#106;avascript:alert(1)">1</a><a href=" JavaScript:void(0) ">2</a>
      <a href="java&#x0A;script:x">3</a><a href='VBScript:x'>4</a>`;
    expect(checkLinks(html).problems.map((p) => p.reason)).toEqual([
      'javascript',
      'javascript',
      'javascript',
      'javascript',
    ]);
  });

  it('counts links that start with a {{variable}} apart in templates, and checks them otherwise', () => {
    const html =
      '<a href="{{unsubscribe_url}}">Unsubscribe</a><a href="{{ site }}/x">Site</a><a href="https://a.example">A</a>';
    expect(checkLinks(html, { templates: true })).toEqual({ checked: 1, templated: 2, problems: [] });
    expect(checkLinks(html).problems).toHaveLength(2);
  });

  it('reports an unclosed link at the end of the body', () => {
    expect(checkLinks('<a href="javascript:x">dangling').problems).toMatchObject([
      { reason: 'javascript', text: 'dangling', line: 1 },
    ]);
  });
});
