import { describe, expect, it } from 'vitest';
import type { FieldErrors } from 'react-hook-form';
import { flattenErrors } from '@/lib/forms/form-errors';

describe('flattenErrors', () => {
  it('lists nested, array and root errors by dot path, once each, without refs', () => {
    const errors = {
      from: { email: { type: 'custom', message: 'Enter an address', ref: { name: 'from.email' } } },
      cc: [undefined, { email: { type: 'custom', message: 'Not an address' } }],
      rows: { root: { type: 'custom', message: 'Add at least one message' } },
      attachments: { type: 'custom', message: 'Too large', root: { type: 'custom', message: 'Too large' } },
      subject: { type: 'custom', message: '' },
    } as unknown as FieldErrors;
    expect(flattenErrors(errors)).toEqual([
      ['from.email', 'Enter an address'],
      ['cc.1.email', 'Not an address'],
      ['rows', 'Add at least one message'],
      ['attachments', 'Too large'],
    ]);
  });
});
