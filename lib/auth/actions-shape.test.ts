import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every server action is built by roleAction (or publicAction for sign-in and setup), so its
// session check, role check and input validation cannot be left out. e2e/server-actions.spec.ts
// checks the same from the outside, against every action in the build.
const root = path.resolve(import.meta.dirname, '../..');
const PUBLIC = ['app/(auth)/sign-in/actions.ts', 'app/(auth)/setup/actions.ts'];

function serverActionFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return serverActionFiles(full);
    if (!/\.(ts|tsx)$/.test(entry.name)) return [];
    return /^['"]use server['"]/.test(fs.readFileSync(full, 'utf8')) ? [full] : [];
  });
}

describe('server actions', () => {
  const files = serverActionFiles(path.join(root, 'app'));

  it('are found', () => {
    expect(files.length).toBeGreaterThanOrEqual(8);
  });

  it.each(files.map((f) => [path.relative(root, f)]))('%s exports only wrapped actions', (file) => {
    const source = fs.readFileSync(path.join(root, file), 'utf8');
    expect(source, 'a plain exported function skips the wrapper').not.toMatch(/^export (async )?function/m);
    const wrapper = PUBLIC.includes(file) ? 'publicAction' : 'roleAction';
    const exported = [...source.matchAll(/^export const (\w+)\s*=\s*([\w.]+)\(/gm)];
    expect(exported.length).toBeGreaterThan(0);
    for (const [, name, callee] of exported) {
      const viaFactory =
        callee !== wrapper && new RegExp(`const ${callee} = [^;]*?${wrapper}\\(`, 's').test(source);
      expect(callee === wrapper || viaFactory, `${name} is built by ${callee}, not ${wrapper}`).toBe(true);
    }
    expect(source).not.toMatch(/^export (let|var) /m);
  });
});
