import { describe, expect, it } from 'vitest';
// @ts-expect-error -- a plain ES module (no types), run by npm start before anything is built
import { CONSOLE_HEAP_MB, consoleNodeFlags as flags } from './node-flags.mjs';

const consoleNodeFlags = flags as (nodeOptions?: string) => string[];

describe('the console’s Node flags (npm start)', () => {
  it('sets a 1 GB heap limit when NODE_OPTIONS sets none', () => {
    expect(CONSOLE_HEAP_MB).toBe(1024);
    expect(consoleNodeFlags()).toEqual(['--max-old-space-size=1024']);
    expect(consoleNodeFlags('--enable-source-maps')).toEqual(['--max-old-space-size=1024']);
  });

  it('leaves the limit to NODE_OPTIONS when it sets one, in either spelling', () => {
    expect(consoleNodeFlags('--max-old-space-size=2048')).toEqual([]);
    expect(consoleNodeFlags('--enable-source-maps --max_old_space_size=512')).toEqual([]);
  });
});
