import type { FieldValues, Resolver } from 'react-hook-form';
import type { z } from 'zod';

export type LazyResolver<S extends z.ZodType<unknown, FieldValues>> = Resolver<
  z.input<S>,
  unknown,
  z.output<S>
> & {
  /** Starts the download now; call it once the page is interactive so the first submit does not wait. */
  preload: () => void;
};

/**
 * zodResolver(schema), with zod, the resolver and the schema fetched apart from the page: they are
 * about a third of a form page's JavaScript, and the page can render and hydrate without them.
 * Create it once per form at module level; validation is exactly zodResolver's.
 */
export function lazyZodResolver<S extends z.ZodType<unknown, FieldValues>>(
  loadSchema: () => Promise<S>,
): LazyResolver<S> {
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
  const resolve: Loaded = async (values, context, options) => (await load())(values, context, options);
  return Object.assign(resolve, { preload: () => void load().catch(() => undefined) });
}
