/**
 * WhatsApp webhook in → agent socket out, on loopback: signed deliveries at 500 messages/s for
 * 4 seconds (from 200 customers), each timed from the POST to the `message.upserted` event an
 * agent socket receives. Prints the p99 in milliseconds (budget ≤ 20 ms).
 *
 * The deliveries come from a separate process (as Meta's do), so that sending them does not
 * take the server's CPU.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signatureOf } from '../../server/src/channels/signature.js';
import { WA, waText } from '../support/channels.js';
import { startFakeGraph } from '../support/fake-graph.js';
import { api, connectAgent, startServer } from '../server/helpers.js';

const RATE = Number(process.env.RATE ?? 500);
const SECONDS = 4;
const CUSTOMERS = 200;

const graph = await startFakeGraph();
const test = await startServer({ server: { graphUrl: graph.url } });
/** Sends `batch` at `rate` per second from the sender process; resolves when all were answered. */
function runBatch(sender: ReturnType<typeof fork>, batch: Array<{ id: string; raw: string; signature: string }>, rate: number): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (m === 'done') {
        sender.off('message', onMessage);
        resolve();
      }
    };
    sender.on('message', onMessage);
    sender.send({ batch, rate });
  });
}

try {
  await api(test.url, '/api/v1/channels/whatsapp', { token: test.acme.admin.token, method: 'PUT', body: WA });
  const agent = await connectAgent(test.url, test.acme.agent.token);
  const sentAt = new Map<string, number>();
  const arrivals = new Map<string, number>();
  const latencies: number[] = [];
  agent.on('event', (event: any) => {
    if (event.type !== 'message.upserted' || event.data.message.direction !== 'in') return;
    const id = event.data.message.channelMessageId as string;
    const now = performance.now();
    const started = sentAt.get(id);
    if (started === undefined) return void arrivals.set(id, now);
    sentAt.delete(id);
    latencies.push(now - started);
  });

  const build = (i: number) => {
    const payload = waText(`52155${String(10_000_000 + (i % CUSTOMERS))}`, `Cliente ${i % CUSTOMERS}`, `Mensaje ${i}`) as any;
    const raw = JSON.stringify(payload);
    return { id: payload.entry[0].changes[0].value.messages[0].id as string, raw, signature: signatureOf(raw, WA.appSecret) };
  };
  const sender = fork(fileURLToPath(new URL('./webhook-sender.mjs', import.meta.url)), [`${test.url}/webhooks/whatsapp`]);
  // The sender reports each POST's start on its clock; both processes share the monotonic origin of performance.timeOrigin.
  const origin = performance.timeOrigin;
  sender.on('message', (m: { id: string; at: number }) => {
    const started = m.at - origin;
    const arrived = arrivals.get(m.id);
    if (arrived !== undefined) {
      arrivals.delete(m.id);
      latencies.push(arrived - started);
    } else sentAt.set(m.id, started);
  });

  // Warm up (first contacts and conversations of each customer are created here).
  const warm = Array.from({ length: CUSTOMERS }, (_, i) => build(i));
  await runBatch(sender, warm, 100);
  const deadlineWarm = performance.now() + 30_000;
  while (latencies.length < CUSTOMERS && performance.now() < deadlineWarm) await new Promise((r) => setTimeout(r, 20));
  latencies.length = 0;

  const total = RATE * SECONDS;
  const batch = Array.from({ length: total }, (_, i) => build(CUSTOMERS + i));
  await runBatch(sender, batch, RATE);
  const deadline = performance.now() + 30_000;
  while (latencies.length < total && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  sender.kill();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  console.log(`${latencies.length}/${total} delivered; p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
  console.log(`webhook: ${at(0.99).toFixed(1)} ms`);
  agent.disconnect();
} finally {
  await test.close();
  await graph.close();
}
