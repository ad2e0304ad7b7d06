// The load generator of bench/webhook-ingest.ts, in a worker thread: Sendmux posts from its own
// machines, so signing and sending must not queue on the console's event loop and be counted as
// the receiver's time. Plain JavaScript (node:http, node:crypto), no project imports.
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

const { port, secret, posts, concurrency } = workerData;
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
const statuses = {};
let next = 0;

const post = (body) =>
  new Promise((resolve, reject) => {
    const id = /"id":"(evt_[^"]+)"/.exec(body)[1];
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/webhooks/sendmux',
        agent,
        headers: {
          'content-type': 'application/json',
          'x-sendmux-signature': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
          'x-sendmux-event-id': id,
          'x-sendmux-delivery-attempt': '1',
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < posts.length) {
      const body = posts[next++];
      const start = performance.now();
      const status = await post(body);
      latencies.push(performance.now() - start);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
const postedMs = performance.now() - t0;
agent.destroy();
parentPort.postMessage({ latencies, statuses, postedMs });
