import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { clientAddress, installPeerAddressHeader, PEER_HEADER } from '@/lib/auth/client-address';

const h = (entries: Record<string, string>) => new Headers(entries);

describe('clientAddress', () => {
  it('is the TCP peer unless a proxy is trusted, whatever the client claims', () => {
    const claimed = h({
      [PEER_HEADER]: '::ffff:192.0.2.7',
      'x-forwarded-for': '203.0.113.9',
      'x-real-ip': '203.0.113.9',
    });
    expect(clientAddress(claimed, 0)).toBe('192.0.2.7');
    expect(clientAddress(h({}), 0)).toBeNull();
  });

  it('behind trusted proxies, is the entry the outermost one appended', () => {
    const chain = h({ [PEER_HEADER]: '10.0.0.2', 'x-forwarded-for': '6.6.6.6, 198.51.100.4, 10.0.0.1' });
    expect(clientAddress(chain, 1)).toBe('10.0.0.1');
    expect(clientAddress(chain, 2)).toBe('198.51.100.4');
    expect(clientAddress(h({ 'x-forwarded-for': '198.51.100.4' }), 3)).toBe('198.51.100.4');
    expect(clientAddress(h({ [PEER_HEADER]: '10.0.0.2', 'x-real-ip': '198.51.100.5' }), 1)).toBe(
      '198.51.100.5',
    );
    expect(clientAddress(h({ [PEER_HEADER]: '10.0.0.2' }), 1)).toBe('10.0.0.2');
  });
});

describe('installPeerAddressHeader', () => {
  it('stamps every request with its peer and drops forwarded headers a client sent', async () => {
    installPeerAddressHeader(0);
    const server = http.createServer((req, res) => res.end(JSON.stringify(req.headers)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: {
          'X-Forwarded-For': '203.0.113.9',
          'X-Forwarded-Host': 'evil.example',
          [PEER_HEADER]: '6.6.6.6',
        },
      });
      const seen = (await res.json()) as Record<string, string>;
      expect(seen[PEER_HEADER]).toBe('127.0.0.1');
      expect(seen['x-forwarded-for']).toBeUndefined();
      expect(seen['x-forwarded-host']).toBeUndefined();
    } finally {
      server.close();
    }
  });
});
