import { z } from 'zod';

// The literal makes a stray call with no arguments do nothing.
export const clearOutboxInputSchema = z.object({ confirm: z.literal(true) });

export const sendTestEventInputSchema = z.object({ confirm: z.literal(true) });
