import { describe, expect, it } from 'vitest';
import { admitAttachments, uploadFailureReason } from '@/lib/compose/file-admission';
import { UPLOAD_LIMIT_BYTES } from '@/lib/schemas/limits';

const file = (name: string, size = 10) => ({ name, size });

describe('admitAttachments', () => {
  it('accepts what Sendmux takes, with its content type', () => {
    const { accepted, refused } = admitAttachments([file('a.pdf'), file('b.PNG')], 10);
    expect(accepted.map((a) => [a.file.name, a.contentType])).toEqual([
      ['a.pdf', 'application/pdf'],
      ['b.PNG', 'image/png'],
    ]);
    expect(refused).toEqual([]);
  });

  it('refuses each other file with the reason', () => {
    const { accepted, refused } = admitAttachments(
      [file('setup.exe'), file('empty.txt', 0), file('huge.pdf', UPLOAD_LIMIT_BYTES + 1), file('noext')],
      10,
    );
    expect(accepted).toEqual([]);
    expect(refused.map((r) => r.name)).toEqual(['setup.exe', 'empty.txt', 'huge.pdf', 'noext']);
    expect(refused[0]!.reason).toMatch(/executable program/);
    expect(refused[1]!.reason).toBe('The file is empty');
    expect(refused[2]!.reason).toBe("18.0 MB is over Sendmux's 18.0 MB limit for one attachment");
    expect(refused[3]!.reason).toMatch(/no file extension/);
  });

  it('takes a file of exactly the upload limit', () => {
    expect(admitAttachments([file('big.pdf', UPLOAD_LIMIT_BYTES)], 1).accepted).toHaveLength(1);
  });

  it('fills the room left in order; refused files take none of it', () => {
    const { accepted, refused } = admitAttachments(
      [file('a.txt'), file('bad.exe'), file('b.txt'), file('c.txt')],
      2,
    );
    expect(accepted.map((a) => a.file.name)).toEqual(['a.txt', 'b.txt']);
    expect(refused).toEqual([
      { name: 'bad.exe', reason: expect.stringMatching(/executable/) },
      { name: 'c.txt', reason: 'Sendmux accepts at most 10 attachments per message' },
    ]);
    expect(admitAttachments([file('a.txt')], 0).accepted).toEqual([]);
  });
});

describe('uploadFailureReason', () => {
  it('names the code, the message and the request_id when there is one', () => {
    expect(
      uploadFailureReason({ code: 'rate_limit_exceeded', message: 'Slow down', requestId: 'req_1' }),
    ).toBe('Upload failed: rate_limit_exceeded — Slow down (request_id req_1)');
    expect(uploadFailureReason({ code: 'network_error', message: 'No answer' })).toBe(
      'Upload failed: network_error — No answer',
    );
  });
});
