// Applies database migrations and exits: `npm run db:migrate` (same env as the server). Start-up
// migrates anyway; lib/db/migrations.db.test.ts runs this from several processes at once to prove
// the advisory lock. lib/env.ts is server-only, hence node's react-server condition in the script.
import { formatEnvErrors, parseEnv } from '../lib/env';
import { openDatabase } from '../lib/db/connection';

const env = parseEnv(process.env);
if (!env.ok) {
  console.error(formatEnvErrors(env.errors));
  process.exit(1);
}
const { config } = env;
try {
  const handle = await openDatabase(
    config.databaseUrl
      ? { kind: 'postgres', url: config.databaseUrl, poolSize: 1 }
      : { kind: 'pglite', dataDir: config.dataDir },
  );
  await handle.close();
  console.log(`migrations applied (${handle.kind})`);
} catch (err) {
  console.error((err as Error).message);
  process.exit(1);
}
