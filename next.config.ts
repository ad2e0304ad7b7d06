import type { NextConfig } from 'next';

const contentSecurityPolicy = [
  "default-src 'self'",
  // Next inlines its bootstrap and RSC payload scripts.
  "script-src 'self' 'unsafe-inline'",
  "style-src 'self' 'unsafe-inline'",
  // Email previews show remote images the way a mail client would.
  "img-src 'self' data: blob: https: http:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'self' blob: data:",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

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
      // The largest action body is an attachment upload: Sendmux's 18 MiB upload cap sent as
      // multipart/form-data, plus room for the multipart framing. Inline attachments are capped
      // well below it (see lib/schemas/message.ts), so nothing else needs more.
      bodySizeLimit: '19mb',
    },
  },
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: contentSecurityPolicy },
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'same-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
        ],
      },
    ];
  },
};

export default nextConfig;
