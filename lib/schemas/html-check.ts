import { z } from 'zod';

/** The HTML check runs in a server action, whose body is at most 1 MiB: larger bodies are not checked. */
export const HTML_CHECK_MAX_CHARS = 900_000;

export const htmlCheckInputSchema = z.object({
  html: z.string().max(HTML_CHECK_MAX_CHARS, 'Too large to check here'),
  /** A batch template: hrefs that start with a {{variable}} are filled per row. */
  templates: z.boolean().optional(),
});
