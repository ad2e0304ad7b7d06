import type { EmailSendRequest } from '@/lib/sendmux/wire';
import type { NewJobRow } from '@/lib/batch/job-types';

/** Used by tests and bench/: row i of a job tagged `tag`, with a unique To and subject to find it in the outbox. */
export function fixtureMessage(tag: string, i: number, to = `row-${i}+${tag}@example.com`): EmailSendRequest {
  return {
    from: { email: 'sandbox@sendmux.test', name: 'Batch test' },
    to: { email: to, name: `Row ${i}` },
    subject: `${tag} row ${i}`,
    html_body: `<p>Hello row ${i}, this is ${tag}.</p>`,
    text_body: `Hello row ${i}, this is ${tag}.`,
  };
}

/** `count` rows numbered 1..count; `special` gives a scenario address for some rows (e.g. fail+402). */
export function fixtureRows(tag: string, count: number, special: Record<number, string> = {}): NewJobRow[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + 1;
    const scenario = special[i];
    const to = scenario ? `${scenario}+row-${i}+${tag}@example.com` : undefined;
    const message = fixtureMessage(tag, i, to);
    return { csvLine: i + 1, input: { email: message.to.email, name: `Row ${i}` }, message };
  });
}
