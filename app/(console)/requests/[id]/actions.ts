'use server';

import { roleAction } from '@/lib/auth/action';
import { lookUpDeliveryLog, type LogsLookup } from '@/lib/delivery/logs-lookup';
import type { ActionResult } from '@/lib/schemas/action-result';
import { deliveryLogsLookupSchema } from '@/lib/schemas/delivery';

// Reading delivery logs changes nothing, so every role may (support answers "did it arrive?" with it).
// The management key stays on the server: the answer carries the log, never the key or its URL.
export const checkDeliveryLogsAction = roleAction(
  'support',
  deliveryLogsLookupSchema,
  async ({ logId, messageId }, { user }): Promise<ActionResult<LogsLookup>> =>
    lookUpDeliveryLog(logId, messageId, user),
);
