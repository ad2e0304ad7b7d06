import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import GlobalError from './global-error';

const noop = () => {};

describe('the global error page', () => {
  it('is a whole document with a retry, a full-page link home and the digest', () => {
    const error = Object.assign(new Error('An error occurred'), { digest: 'E4089A1' });
    const html = renderToString(<GlobalError error={error} retry={noop} />);
    expect(html).toMatch(/^<html lang="en">/);
    expect(html).toContain('<body');
    expect(html).toContain('<title>Something went wrong · Sendmux Console</title>');
    expect(html).toMatch(/<button[^>]*>Try again<\/button>/);
    expect(html).toMatch(/<a href="\/"[^>]*>Go to the home page<\/a>/);
    expect(html).toContain('E4089A1');
  });

  it('leaves the reference out when there is no digest', () => {
    const html = renderToString(<GlobalError error={new Error('boom')} retry={noop} />);
    expect(html).toContain('Try again');
    expect(html).not.toContain('Error reference');
  });
});
