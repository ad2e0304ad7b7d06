import { describe, expect, it } from 'vitest';
import {
  bindTemplate,
  compileTemplate,
  escapeHtml,
  measureBound,
  newTextMetrics,
  renderBound,
  renderTemplate,
  resolveColumn,
  templateVariables,
} from '@/lib/mail-merge/template';

const row = { name: 'Ada', City: 'London', empty: '', spaces: '   ', html: `<b>"Tom" & 'Jerry'</b>` };
const text = (template: string, values: Record<string, string> = row) =>
  renderTemplate(template, values, { mode: 'text' });
const html = (template: string, values: Record<string, string> = row) =>
  renderTemplate(template, values, { mode: 'html' });

describe('renderTemplate', () => {
  it('substitutes {{column}} with the trimmed cell, whitespace inside braces allowed', () => {
    expect(text('Hi {{name}}, {{ name }} from {{City}}!').text).toBe('Hi Ada, Ada from London!');
    expect(text('[{{x}}]', { x: '  padded  ' }).text).toBe('[padded]');
  });

  it('matches column names exactly first, then case-insensitively', () => {
    expect(text('{{city}} {{CITY}}').text).toBe('London London');
    expect(resolveColumn('Email', ['email', 'Email'])).toBe('Email');
    expect(resolveColumn('EMAIL', ['email', 'Email'])).toBe('email');
    expect(resolveColumn(' name ', ['name'])).toBe('name');
  });

  it('uses the fallback when the cell is empty or blank, and not otherwise', () => {
    const r = text('Dear {{empty|friend}}, {{ spaces | dear reader }}, {{name|nobody}}');
    expect(r.text).toBe('Dear friend, dear reader, Ada');
    expect(r.empty).toEqual([]);
  });

  it('reports columns used and empty variables without a fallback; {{x|}} means empty is fine', () => {
    const r = text('{{name}} {{empty}} {{spaces}} {{empty}} {{spaces|}}.');
    expect(r.text).toBe('Ada    .');
    expect(r.used).toEqual(['name', 'empty', 'spaces']);
    expect(r.empty).toEqual(['empty', 'spaces']);
  });

  it('reports unknown variables and leaves them as written unless they have a fallback', () => {
    const r = text('Hi {{nmae}} {{missing|there}}');
    expect(r.unknown).toEqual(['nmae', 'missing']);
    expect(r.text).toBe('Hi {{nmae}} there');
    expect(bindTemplate('{{nmae}} {{missing|x}}', ['name'], 'text').unknownWithoutFallback).toEqual(['nmae']);
  });

  it("passes Sendmux's own [DP_…] tags through untouched", () => {
    const template = 'Hello [DP_NAME], key [DP_VAR_KEY] and [DP_ANYTHING_ELSE] for {{name}}';
    expect(text(template).text).toBe('Hello [DP_NAME], key [DP_VAR_KEY] and [DP_ANYTHING_ELSE] for Ada');
    expect(html(template).text).toBe('Hello [DP_NAME], key [DP_VAR_KEY] and [DP_ANYTHING_ELSE] for Ada');
  });

  it('escapes values in HTML (& < > " \') but not in text, and never escapes the template or fallbacks', () => {
    expect(html('<p>{{html}}</p>').text).toBe(
      '<p>&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;</p>',
    );
    expect(text('{{html}}').text).toBe(`<b>"Tom" & 'Jerry'</b>`);
    expect(html('<p>{{empty|<i>you</i> & me}}</p>').text).toBe('<p><i>you</i> & me</p>');
  });

  it('does not read substituted values as templates', () => {
    expect(text('{{v}}', { v: '{{name}} [DP_NAME]', name: 'Ada' }).text).toBe('{{name}} [DP_NAME]');
  });

  it('writes a literal {{ for \\{{', () => {
    const r = text('Use \\{{name}} to insert {{name}}; \\{{ alone');
    expect(r.text).toBe('Use {{name}} to insert Ada; {{ alone');
    expect(r.issues).toEqual([]);
    expect(r.used).toEqual(['name']);
  });

  it('leaves an unclosed {{ as text and reports it, also when }} only comes on a later line', () => {
    const r = text('Hi {{name and {{City}}\n{{broken\n}}');
    expect(r.text).toBe('Hi {{name and London\n{{broken\n}}');
    expect(r.issues.map((i) => [i.kind, i.start])).toEqual([
      ['unclosed', 3],
      ['unclosed', 23],
    ]);
  });

  it('reports {{}} and {{ |x}} as naming no column', () => {
    const r = text('a {{}} b {{ |x}}');
    expect(r.text).toBe('a {{}} b {{ |x}}');
    expect(r.issues.map((i) => i.kind)).toEqual(['empty_name', 'empty_name']);
  });

  it('keeps a fallback that contains | after the first one', () => {
    expect(text('{{empty|a|b}}').text).toBe('a|b');
  });
});

describe('templateVariables', () => {
  it('lists variables as typed, with positions, and flags unknown ones', () => {
    const v = templateVariables('Hi {{ name }}, {{Name|x}} {{nope}} {{oops', ['name']);
    expect(v.variables).toEqual(['name', 'Name', 'nope']);
    expect(v.unknown).toEqual(['nope']);
    expect(v.tags[0]).toEqual({ name: 'name', fallback: null, start: 3, end: 13 });
    expect(v.issues.map((i) => i.kind)).toEqual(['unclosed']);
  });
});

describe('compiled templates', () => {
  it('compiles once into text and tag parts', () => {
    const c = compileTemplate('a{{x}}b{{y|z}}');
    expect(c.parts).toEqual([
      'a',
      { name: 'x', fallback: null, start: 1, end: 6 },
      'b',
      { name: 'y', fallback: 'z', start: 7, end: 14 },
    ]);
  });

  it('measures exactly what it renders: length, JSON bytes, line breaks, blankness', () => {
    const samples: [string, Record<string, string>][] = [
      ['Hi {{a}} “{{b|x}}” 😀', { a: 'Zoë "q" \\ \t', b: '' }],
      ['{{a}}', { a: '\u0001\u001f\u007f\u2028' }],
      ['{{a}}{{b}}', { a: 'line\r\nbreak', b: '<&>' }],
      ['  {{a}}  ', { a: '   ' }],
      ['{{a}}', { a: 'x\0y' }],
      ['{{a}}', { a: 'tab\there' }],
      ['{{a}}', { a: 'bell\x07 del\x7f' }],
    ];
    for (const [template, values] of samples) {
      for (const mode of ['text', 'html'] as const) {
        const bound = bindTemplate(template, Object.keys(values), mode);
        const rendered = renderBound(bound, values).text;
        const m = newTextMetrics();
        measureBound(bound, values, m);
        expect(m.length).toBe(rendered.length);
        expect(m.jsonBytes).toBe(new TextEncoder().encode(JSON.stringify(rendered)).length - 2);
        expect(m.headerControl).toBe(/[\x00-\x08\x0a-\x1f\x7f]/.test(rendered));
        expect(m.nonBlank).toBe(rendered.trim() !== '');
        expect(m.exact).toBe(true);
      }
    }
  });

  it('marks a measurement inexact when a surrogate pair could straddle two parts', () => {
    const bound = bindTemplate('\uD83D{{a}}', ['a'], 'text');
    const m = newTextMetrics();
    measureBound(bound, { a: '\uDE00' }, m);
    expect(m.exact).toBe(false);
  });
});

describe('escapeHtml', () => {
  it('escapes the five characters and returns other strings as they are', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    const plain = 'nothing to do';
    expect(escapeHtml(plain)).toBe(plain);
  });
});
