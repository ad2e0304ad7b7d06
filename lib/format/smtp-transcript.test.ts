import { describe, expect, it } from 'vitest';
import {
  queuedIdOf,
  transcriptOf,
  transcriptText,
  withStepTimes,
  type TranscriptLine,
} from '@/lib/format/smtp-transcript';

const lines: TranscriptLine[] = [
  { at: 0, kind: 'info', text: 'Connecting to smtp://127.0.0.1:2525 (STARTTLS required)' },
  { at: 2, kind: 'info', text: 'Connected to 127.0.0.1:2525' },
  { at: 12, kind: 'server', text: '220 sandbox ESMTP' },
  { at: 13, kind: 'client', text: 'EHLO host' },
  { at: 15, kind: 'server', text: '250-sandbox\n250 STARTTLS' },
  { at: 40, kind: 'client', text: 'MAIL FROM:<a@example.com>' },
  { at: 40, kind: 'client', text: 'RCPT TO:<b@example.com>' },
  { at: 41, kind: 'client', text: 'DATA' },
  { at: 45, kind: 'server', text: '250 Accepted' },
  { at: 46, kind: 'server', text: '250 Accepted' },
  { at: 47, kind: 'server', text: '354 Go ahead' },
  { at: 48, kind: 'info', text: 'Message sent: 600 bytes' },
  { at: 60, kind: 'server', text: '250 2.0.0 OK: queued as eml_abc' },
];

describe('SMTP transcript', () => {
  it('times each reply from what it answers, pipelined commands in order', () => {
    expect(withStepTimes(lines).map((l) => l.stepMs)).toEqual([
      null,
      null,
      10,
      null,
      2,
      null,
      null,
      null,
      5,
      6,
      6,
      null,
      12,
    ]);
  });

  it('reads as plain text with C:/S: and the time of each step', () => {
    const text = transcriptText(lines);
    expect(text.split('\n')[3]).toBe('+    13 ms  C: EHLO host');
    expect(text).toContain('+    15 ms  S: 250-sandbox  (2 ms)\n             S: 250 STARTTLS');
    expect(text).toContain('+    60 ms  S: 250 2.0.0 OK: queued as eml_abc  (12 ms)');
  });

  it('finds the queued id in the final reply', () => {
    expect(queuedIdOf('250 2.0.0 OK: queued as eml_rh01bu5zj8n0stgmh4si7nok')).toBe(
      'eml_rh01bu5zj8n0stgmh4si7nok',
    );
    expect(queuedIdOf('250 Ok: queued as <ABC123.x@host>')).toBe('ABC123.x@host');
    expect(queuedIdOf('250 OK')).toBeNull();
  });

  it('reads a stored transcript defensively', () => {
    expect(
      transcriptOf([
        lines[2],
        { at: 'x', kind: 'server', text: 'y' },
        { at: 1, kind: 'weird', text: 'z' },
        null,
      ]),
    ).toEqual([lines[2]]);
    expect(transcriptOf('not a list')).toEqual([]);
  });
});
