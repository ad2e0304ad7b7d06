import { describe, expect, it } from 'vitest';
import { describeAuditDetail } from '@/lib/format/audit';
import { auditActionLabel, auditSearchHref, auditSearchSchema } from '@/lib/schemas/audit';

describe('audit labels and details', () => {
  it('labels known actions from the table and unknown ones from their name', () => {
    expect(auditActionLabel('user.role_changed')).toBe('Role changed');
    expect(auditActionLabel('webhook.signature_rejected')).toBe('Webhook signature rejected');
    expect(auditActionLabel('smtp.test_sent')).toBe('Smtp test sent');
  });

  it('says what each detail holds in one line', () => {
    expect(describeAuditDetail('user.role_changed', { from: 'sender', to: 'admin' })).toBe('sender → admin');
    expect(describeAuditDetail('sign_in.failure', { reason: 'bad_password', trustedDevice: false })).toBe(
      'wrong password',
    );
    expect(
      describeAuditDetail('compose.send', {
        outcome: 'queued',
        messageId: 'eml_1',
        requestId: 'req_1',
        cc: 2,
        bcc: 0,
        profile: 'default',
      }),
    ).toBe('queued · cc 2 · eml_1 · req_1 · profile default');
    expect(describeAuditDetail('sandbox.outbox_cleared', { deleted: 12 })).toBe('12 messages deleted');
    expect(describeAuditDetail('webhook.signature_rejected', { endpoint: '/api/webhooks', n: 1 })).toBe(
      'endpoint: /api/webhooks · n: 1',
    );
    expect(describeAuditDetail('sign_out', null)).toBe('');
  });
});

describe('audit search params', () => {
  it('keeps what the page can use and drops the rest, so a shared link still opens', () => {
    expect(
      auditSearchSchema.parse({
        actor: ['ada@example.com', 'x'],
        action: 'user.role_changed',
        from: '2026-01-01T10:00',
        to: 'yesterday',
        before: '20260101T100000.123456Z_42',
      }),
    ).toEqual({
      actor: 'ada@example.com',
      action: 'user.role_changed',
      from: '2026-01-01T10:00',
      to: undefined,
      before: '20260101T100000.123456Z_42',
    });
    expect(auditSearchSchema.parse({ action: "x'; drop", before: 'nope' })).toEqual({
      actor: undefined,
      action: undefined,
      from: undefined,
      to: undefined,
      before: undefined,
    });
    expect(auditSearchHref({ action: 'sign_in.failure', actor: undefined })).toBe(
      '/settings/audit?action=sign_in.failure',
    );
  });
});
