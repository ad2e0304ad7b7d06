import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signBody, verifySignature } from '@/lib/delivery/signature';

const OLD = 'whsec_old_0123456789abcdef';
const NEW = 'whsec_new_fedcba9876543210';
// Spacing and key order as Sendmux sent them: the signature covers these bytes, not the JSON they mean.
const RAW = Buffer.from(
  '{"id":"evt_1", "type":"message.delivered","occurred_at":"2026-05-21T09:12:00Z","data":{}}',
);
const hex = (secret: string, body: Uint8Array | string) =>
  createHmac('sha256', secret).update(body).digest('hex');

describe('webhook signatures', () => {
  it('accepts sha256=<hex HMAC-SHA256 of the raw bytes>', () => {
    expect(signBody(OLD, RAW)).toBe(`sha256=${hex(OLD, RAW)}`);
    expect(verifySignature(RAW, `sha256=${hex(OLD, RAW)}`, [OLD])).toBe(true);
  });

  it('refuses a signature made over re-serialised JSON', () => {
    const reserialised = JSON.stringify(JSON.parse(RAW.toString('utf8')));
    expect(reserialised).not.toBe(RAW.toString('utf8'));
    expect(verifySignature(RAW, signBody(OLD, reserialised), [OLD])).toBe(false);
  });

  it('refuses the bare hex without the sha256= prefix, another prefix, and a missing header', () => {
    expect(verifySignature(RAW, hex(OLD, RAW), [OLD])).toBe(false);
    expect(verifySignature(RAW, `sha1=${hex(OLD, RAW)}`, [OLD])).toBe(false);
    expect(verifySignature(RAW, `sha256=${hex(OLD, RAW).toUpperCase()}`, [OLD])).toBe(false);
    expect(verifySignature(RAW, null, [OLD])).toBe(false);
    expect(verifySignature(RAW, '', [OLD])).toBe(false);
  });

  it('refuses a truncated signature and one from another secret; with no secrets, nothing verifies', () => {
    expect(verifySignature(RAW, signBody(OLD, RAW).slice(0, -2), [OLD])).toBe(false);
    expect(verifySignature(RAW, signBody('some-other-secret-value', RAW), [OLD, NEW])).toBe(false);
    expect(verifySignature(RAW, signBody(OLD, RAW), [])).toBe(false);
  });

  it('accepts both the rotated secret and its successor while both are configured', () => {
    expect(verifySignature(RAW, signBody(OLD, RAW), [OLD, NEW])).toBe(true);
    expect(verifySignature(RAW, signBody(NEW, RAW), [OLD, NEW])).toBe(true);
    expect(verifySignature(RAW, signBody(OLD, RAW), [NEW])).toBe(false);
  });

  it('changes with a single byte of the body', () => {
    const tampered = Buffer.from(RAW);
    tampered[tampered.length - 2] = 0x20;
    expect(verifySignature(tampered, signBody(OLD, RAW), [OLD])).toBe(false);
  });
});
