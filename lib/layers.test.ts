import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md's layer map, checked: a folder of lib/ tells which side its code runs on.
const root = path.resolve(import.meta.dirname, '..');

/** Runs in the browser too: no server-only, no Node modules, no value imports from server folders. */
const CLIENT_SAFE = [
  'schemas',
  'mail-merge',
  'compose',
  'forms',
  'errors',
  'format',
  'delivery-status',
  'cn.ts',
  'ids.ts',
];
/** Server-only: every module starts with `import 'server-only'`. */
const SERVER_ONLY = [
  'sendmux',
  'requests',
  'batch',
  'auth',
  'db',
  'sandbox',
  'templates',
  'http',
  'metrics',
  'lifecycle',
  'delivery',
  'html-check',
];
/** Server code that also runs outside Next (scripts, benches) or only in tests. */
const SERVER_TOOLING = ['env.ts', 'data-dir.ts', 'startup.ts', 'testing'];
/** Server modules without the marker because they also load outside Next, where `server-only` throws. */
const PLAIN_NODE: Record<string, string> = {
  'lib/db/connection.ts': 'scripts/migrate.ts and e2e setup open the database directly',
  'lib/db/data-dir-lock.ts': 'loaded by lib/db/connection.ts',
  'lib/db/partitions.ts': 'loaded by lib/db/connection.ts (partitions are made under the migration lock)',
  'lib/db/schema.ts': 'drizzle-kit reads it',
  'lib/auth/password.ts': 'e2e setup hashes passwords of seeded users',
};
const NODE_ONLY_PACKAGES = [
  'drizzle-orm',
  'pg',
  'undici',
  '@electric-sql/pglite',
  'nodemailer',
  'html-to-text',
  'prom-client',
  '@jsx-email/doiuse-email',
];

const isTest = (file: string) => /\.test\.tsx?$/.test(file);
const isTesting = (file: string) => file.split(path.sep).includes('testing');

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return /\.(ts|tsx)$/.test(entry.name) ? [full] : [];
  });
}

const rel = (file: string) => path.relative(root, file);
const topOf = (file: string) => path.relative(path.join(root, 'lib'), file).split(path.sep)[0]!;

type Import = { spec: string; typeOnly: boolean };

/** Static imports and re-exports; `import type` and imports whose every name is `type X` count as type-only. */
function importsOf(source: string): Import[] {
  const out: Import[] = [];
  const re =
    /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    if (m[5]) {
      out.push({ spec: m[5], typeOnly: false });
      continue;
    }
    const names = m[3] ?? '';
    const braced = /^\{([^}]*)\}$/.exec(names.trim());
    const allTypeNames =
      braced !== null &&
      braced[1]!
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean)
        .every((n) => n.startsWith('type '));
    out.push({ spec: m[4]!, typeOnly: Boolean(m[2]) || allTypeNames });
  }
  return out;
}

const serverFolderOf = (spec: string) => {
  const m = /^@\/lib\/([^/]+)/.exec(spec);
  if (!m) return null;
  const top = m[1]!;
  return SERVER_ONLY.includes(top) || SERVER_TOOLING.includes(`${top}.ts`) || SERVER_TOOLING.includes(top)
    ? top
    : null;
};

function clientProblems(file: string): string[] {
  const problems: string[] = [];
  for (const { spec, typeOnly } of importsOf(fs.readFileSync(file, 'utf8'))) {
    if (typeOnly) continue;
    if (spec === 'server-only') problems.push(`${rel(file)} imports server-only`);
    else if (spec.startsWith('node:') || NODE_ONLY_PACKAGES.includes(spec))
      problems.push(`${rel(file)} imports ${spec}`);
    else if (serverFolderOf(spec)) problems.push(`${rel(file)} imports ${spec} (server-only)`);
  }
  return problems;
}

const libFiles = walk(path.join(root, 'lib'));

describe('layers', () => {
  it('every folder and top-level file of lib/ is on one declared side', () => {
    const declared = new Set([...CLIENT_SAFE, ...SERVER_ONLY, ...SERVER_TOOLING]);
    const tops = new Set(libFiles.filter((f) => !isTest(f)).map(topOf));
    expect([...tops].filter((t) => !declared.has(t))).toEqual([]);
  });

  it('server-only folders: every module starts with server-only', () => {
    const missing = libFiles
      .filter((f) => SERVER_ONLY.includes(topOf(f)) && !isTest(f) && !isTesting(f) && !(rel(f) in PLAIN_NODE))
      .filter((f) => !/^import 'server-only';/.test(fs.readFileSync(f, 'utf8')))
      .map(rel);
    expect(missing).toEqual([]);
  });

  it('client-safe folders import nothing that only runs on the server', () => {
    const files = libFiles.filter((f) => CLIENT_SAFE.includes(topOf(f)) && !isTest(f));
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(clientProblems)).toEqual([]);
  });

  it("'use client' components import only client-safe code", () => {
    const files = [...walk(path.join(root, 'app')), ...walk(path.join(root, 'components'))].filter((f) =>
      /^['"]use client['"]/.test(fs.readFileSync(f, 'utf8')),
    );
    expect(files.length).toBeGreaterThan(20);
    expect(files.flatMap(clientProblems)).toEqual([]);
  });

  it('route handlers do not import page folders', () => {
    const problems = walk(path.join(root, 'app', 'api')).flatMap((f) =>
      importsOf(fs.readFileSync(f, 'utf8'))
        .filter(({ spec }) => spec.startsWith('@/app/') || spec.startsWith('.'))
        .map(({ spec }) => `${rel(f)} imports ${spec}`),
    );
    expect(problems).toEqual([]);
  });

  it('the checker sees what it checks', () => {
    expect(importsOf(`import { a, type B } from '@/lib/batch/x';`)).toEqual([
      { spec: '@/lib/batch/x', typeOnly: false },
    ]);
    expect(importsOf(`import type { B } from '@/lib/batch/x';`)[0]!.typeOnly).toBe(true);
    expect(importsOf(`import { type B, type C } from '@/lib/batch/x';`)[0]!.typeOnly).toBe(true);
    expect(importsOf(`import 'server-only';`)).toEqual([{ spec: 'server-only', typeOnly: false }]);
    expect(importsOf(`export { x } from '@/lib/db';`)).toEqual([{ spec: '@/lib/db', typeOnly: false }]);
  });
});
