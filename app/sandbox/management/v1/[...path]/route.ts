import { getEnv } from '@/lib/env';
import { handleManagementRequest } from '@/lib/sandbox/delivery-logs';
import { sandboxNotServed } from '@/lib/sandbox/handler';

export const dynamic = 'force-dynamic';

async function serve(request: Request): Promise<Response> {
  if (!getEnv().sandboxServed) return sandboxNotServed();
  return handleManagementRequest(request);
}

export const GET = serve;
export const POST = serve;
