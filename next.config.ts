import type { NextConfig } from 'next';

// Pages get their Content-Security-Policy, with a fresh script nonce, from proxy.ts. Route
// handlers answer JSON, CSV or files, which need no script, style or frame at all.
const routeHandlerPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox";

const nextConfig: NextConfig = {
  // Lets two builds live side by side (e.g. a bench build next to the test build). Default .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // `npm test` type-checks the whole repo (tests included) as its own step; not twice.
  typescript: { ignoreBuildErrors: true },
  // PGlite ships a WASM Postgres and its data files; bundling it breaks both. The SMTP packages
  // and selfsigned (decorator metadata, optional requires) run as Node loads them.
  serverExternalPackages: ['@electric-sql/pglite', 'nodemailer', 'smtp-server', 'mailparser', 'selfsigned'],
  experimental: {
    serverActions: {
      // Forms are small, and a body is read before an action can check who sent it. Files go to
      // route handlers that check the session first (/api/attachments, /api/batches). Keep in step
      // with ACTION_BODY_LIMIT_BYTES in lib/schemas/limits.ts.
      bodySizeLimit: '1mb',
    },
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
      ...['/api/:path*', '/sandbox/api/:path*'].map((source) => ({
        source,
        headers: [{ key: 'Content-Security-Policy', value: routeHandlerPolicy }],
      })),
    ];
  },
};

export default nextConfig;
