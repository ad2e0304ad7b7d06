import type { FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';

/**
 * zodResolver(schema), with zod, the resolver and the schema fetched the first time the form
 * validates (on blur or submit) instead of with the page: they are about a third of a form page's
 * first-load JavaScript. Validation is the same; the form is usable before they arrive.
 */
export function lazyZodResolver<S extends z.ZodType<unknown, FieldValues>>(
  loadSchema: () => Promise<S>,
): Resolver<z.input<S>, unknown, z.output<S>> {
  type Loaded = Resolver<z.input<S>, unknown, z.output<S>>;
  let resolver: Promise<Loaded> | undefined;
  const load = () =>
    (resolver ??= Promise.all([import('@hookform/resolvers/zod'), loadSchema()])
      .then(([{ zodResolver }, schema]) => zodResolver(schema) as Loaded)
      .catch((err: unknown) => {
        // A failed download (offline, a new deployment) is tried again at the next validation.
        resolver = undefined;
        throw err;
      }));
  return async (values, context, options) => (await load())(values, context, options);
}
