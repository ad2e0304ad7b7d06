import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import ConsoleError from './error';

const noop = () => {};
const serverError = (digest: string) => Object.assign(new Error('An error occurred'), { digest });

describe('the console error page', () => {
  it('offers a retry, a link home and the digest that matches the server log', () => {
    const html = renderToString(<ConsoleError error={serverError('2914703181')} retry={noop} />);
    expect(html).toContain('This page could not be shown');
    expect(html).toMatch(/<button[^>]*>Try again<\/button>/);
    expect(html).toMatch(/<a[^>]*href="\/"[^>]*>Go to the home page<\/a>/);
    expect(html).toContain('<code class="font-mono">2914703181</code>');
  });

  it('leaves the reference out for an error without a digest, or a thrown non-Error', () => {
    for (const error of [new Error('client render failed'), 'a string', null]) {
      const html = renderToString(<ConsoleError error={error} retry={noop} />);
      expect(html).toContain('Try again');
      expect(html).not.toContain('Error reference');
    }
  });
});
