/**
 * WhatsApp webhook in → agent socket out, on loopback: signed deliveries at 500 messages/s for
 * 4 seconds (from 200 customers), each timed from the POST to the `message.upserted` event an
 * agent socket receives. Prints the p99 in milliseconds (budget ≤ 20 ms).
 *
 * The deliveries come from a separate process (as Meta's do), which is also the agent's socket
 * (as an agent's browser is), so that neither takes the server's CPU.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { signatureOf } from '../../server/src/channels/signature.js';
import { WA, waText } from '../support/channels.js';
import { startFakeGraph } from '../support/fake-graph.js';
import { api, startServer } from '../server/helpers.js';

const RATE = Number(process.env.RATE ?? 500);
const SECONDS = 4;
const CUSTOMERS = 200;

const graph = await startFakeGraph();
const test = await startServer({ server: { graphUrl: graph.url } });

/** Sends `batch` at `rate` per second from the sender process; resolves with each delivery's latency. */
function runBatch(sender: ReturnType<typeof fork>, batch: Array<{ id: string; raw: string; signature: string }>, rate: number): Promise<number[]> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m === 'object' && m && 'latencies' in m) {
        sender.off('message', onMessage);
        resolve((m as { latencies: number[] }).latencies);
      }
    };
    sender.on('message', onMessage);
    sender.send({ batch, rate });
  });
}

try {
  graph.grant(WA.accessToken, WA.phoneNumberId);
  await api(test.url, '/api/v1/channels/whatsapp', { token: test.acme.admin.token, method: 'PUT', body: WA });
  const build = (i: number) => {
    const payload = waText(`52155${String(10_000_000 + (i % CUSTOMERS))}`, `Cliente ${i % CUSTOMERS}`, `Mensaje ${i}`) as any;
    const raw = JSON.stringify(payload);
    return { id: payload.entry[0].changes[0].value.messages[0].id as string, raw, signature: signatureOf(raw, WA.appSecret) };
  };
  const sender = fork(fileURLToPath(new URL('./webhook-sender.mjs', import.meta.url)), [`${test.url}/webhooks/whatsapp`, test.url, test.acme.agent.token]);
  await new Promise<void>((resolve) => sender.once('message', () => resolve()));

  // Warm up (first contacts and conversations of each customer are created here).
  await runBatch(sender, Array.from({ length: CUSTOMERS }, (_, i) => build(i)), 100);

  const total = RATE * SECONDS;
  const cpu = process.cpuUsage();
  const latencies = await runBatch(sender, Array.from({ length: total }, (_, i) => build(CUSTOMERS + i)), RATE);
  const used = process.cpuUsage(cpu);
  sender.kill();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  console.log(`${latencies.length}/${total} delivered; p50 ${at(0.5).toFixed(1)} ms, p95 ${at(0.95).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`);
  console.log(`server CPU per message: ${((used.user + used.system) / 1000 / total).toFixed(2)} ms (user ${(used.user / 1000 / total).toFixed(2)}, system ${(used.system / 1000 / total).toFixed(2)})`);
  console.log(`webhook: ${at(0.99).toFixed(1)} ms`);
} finally {
  await test.close();
  await graph.close();
}
