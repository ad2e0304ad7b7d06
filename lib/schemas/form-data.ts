import { z } from 'zod';

/** The schema, applied to a FormData's fields when an action receives a posted form. */
export function formDataInput<S extends z.ZodType>(schema: S) {
  return z.preprocess((v) => (v instanceof FormData ? Object.fromEntries(v.entries()) : v), schema);
}

/** A form field holding JSON (a mapping, a list of lines), checked with `schema` once parsed. */
export function jsonField<S extends z.ZodType>(schema: S) {
  return z
    .string({ error: 'Missing' })
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'Not valid JSON; reload the page and try again' });
        return z.NEVER;
      }
    })
    .pipe(schema);
}
