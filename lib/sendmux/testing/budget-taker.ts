// Another process drawing from the same rate budgets, for lib/sendmux/budget.db.test.ts:
//   node --conditions=react-server --import tsx lib/sendmux/testing/budget-taker.ts <profile> <takers>
// Configuration (DATABASE_URL, SENDMUX_KEYS) comes from the environment. It prints {"ready":true}
// once connected, reads a start time (epoch ms) from stdin, then at that time fires `takers`
// concurrent takes that do not wait, prints {"granted":n} and exits.
import readline from 'node:readline';
import { sql } from 'drizzle-orm';
import { getDbHandle } from '@/lib/db';
import { takeSlot } from '@/lib/sendmux/budget';

async function main(): Promise<void> {
  const [profile = 'default', takers = '10'] = process.argv.slice(2);
  const handle = await getDbHandle();
  // Open the pool's connections now, as the test process's pool already is: a cold pool spends
  // the start moment connecting while the other process takes the whole window.
  if (handle.kind === 'postgres')
    await Promise.all(Array.from({ length: 10 }, () => handle.db.execute(sql`select pg_sleep(0.05)`)));
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  const startAt = await new Promise<string>((resolve) =>
    readline.createInterface({ input: process.stdin }).once('line', resolve),
  );
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
  const slots = await Promise.all(
    Array.from({ length: Number(takers) }, (_, i) =>
      takeSlot(profile, i % 2 === 0 ? 'batch' : 'interactive', { maxWaitMs: 0 }),
    ),
  );
  process.stdout.write(`${JSON.stringify({ granted: slots.filter((s) => s.granted).length })}\n`);
  await handle.close();
  process.exit(0);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
