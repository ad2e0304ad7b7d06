import { getEnv } from '@/lib/env';
import { handleSandboxRequest, sandboxNotServed } from '@/lib/sandbox/handler';

export const dynamic = 'force-dynamic';

async function serve(request: Request): Promise<Response> {
  if (!getEnv().sandboxServed) return sandboxNotServed();
  return handleSandboxRequest(request);
}

export const GET = serve;
export const POST = serve;
export const PUT = serve;
export const DELETE = serve;
