import { describe, expect, it } from 'vitest';
import {
  deriveStatus,
  eventDetail,
  inOccurrenceOrder,
  isSuppressionWorthy,
  type DeliveryEventFacts,
} from '@/lib/delivery-status/status';

const ev = (eventId: string, type: string, occurredAt: string, extra: Partial<DeliveryEventFacts> = {}) => ({
  eventId,
  type,
  occurredAt,
  ...extra,
});

const delayed = ev('evt_a', 'message.delivery_delayed', '2026-05-21T09:00:01Z', { delayType: 'MailboxFull' });
const delivered = ev('evt_b', 'message.delivered', '2026-05-21T09:05:00Z');
const complained = ev('evt_c', 'message.complained', '2026-05-21T10:00:00Z', { complaintType: 'abuse' });

describe('delivery status from events', () => {
  it('orders by occurred_at, never by arrival: a delay that arrives after the delivery does not win', () => {
    // Arrival order: delivered, then the (earlier) delay.
    expect(deriveStatus([delivered, delayed])).toMatchObject({ status: 'delivered', eventId: 'evt_b' });
    expect(deriveStatus([delayed, delivered])).toMatchObject({ status: 'delivered', eventId: 'evt_b' });
  });

  it('a complaint after delivery is the status, whichever arrives first', () => {
    for (const order of [
      [complained, delivered, delayed],
      [delayed, complained, delivered],
      [delivered, delayed, complained],
    ])
      expect(deriveStatus(order)).toMatchObject({
        status: 'complained',
        detail: 'Complaint: abuse',
        at: complained.occurredAt,
      });
  });

  it('a delay reported after a final outcome does not turn it back into delayed', () => {
    const lateDelay = ev('evt_d', 'message.delivery_delayed', '2026-05-21T09:06:00Z');
    expect(deriveStatus([lateDelay, delivered])).toMatchObject({ status: 'delivered' });
    expect(deriveStatus([delayed])).toMatchObject({ status: 'delayed', detail: 'Delayed: MailboxFull' });
  });

  it('duplicates change nothing; events at the same instant order by stage', () => {
    const sameTime = ev('evt_z', 'message.delivery_delayed', delivered.occurredAt);
    expect(deriveStatus([delivered, delivered, sameTime, delivered])).toMatchObject({ status: 'delivered' });
    expect(inOccurrenceOrder([delivered, sameTime]).map((e) => e.eventId)).toEqual(['evt_z', 'evt_b']);
  });

  it('ignores events that say nothing about an outbound message', () => {
    expect(deriveStatus([ev('evt_t', 'sendmux.test', '2026-05-21T09:00:00Z')])).toBeUndefined();
    expect(deriveStatus([])).toBeUndefined();
  });

  it('says why: bounce type and subtype, reject reason, delay expiry', () => {
    expect(
      eventDetail(ev('e', 'message.bounced', 'x', { bounceType: 'Permanent', bounceSubtype: 'NoEmail' })),
    ).toBe('Permanent bounce (NoEmail)');
    expect(eventDetail(ev('e', 'message.bounced', 'x'))).toBe('Undetermined bounce');
    expect(eventDetail(ev('e', 'message.rejected', 'x', { rejectReason: 'Bad content' }))).toBe(
      'Rejected: Bad content',
    );
    expect(
      eventDetail(ev('e', 'message.delivery_delayed', 'x', { delayExpiresAt: '2026-05-22T09:00:00Z' })),
    ).toBe('Delayed · retries until 2026-05-22T09:00:00Z');
  });

  it('warns about Permanent bounces and complaints only', () => {
    expect(isSuppressionWorthy({ type: 'message.bounced', bounceType: 'Permanent' })).toBe(true);
    expect(isSuppressionWorthy({ type: 'message.bounced', bounceType: 'Transient' })).toBe(false);
    expect(isSuppressionWorthy({ type: 'message.complained' })).toBe(true);
    expect(isSuppressionWorthy({ type: 'message.delivered' })).toBe(false);
  });
});
