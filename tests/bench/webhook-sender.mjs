// The webhook bench's sender process, standing for Meta and for an agent's browser: it POSTs
// signed deliveries at a given rate (round-robin over the server processes given) and, connected
// as an agent, times each from the POST to the `message.upserted` event its socket receives (and
// to the 200 answer, when the delivery is stored).
// Neither sending nor receiving takes the servers' CPU.
import { io } from 'socket.io-client';

const [urls, agentUrl, token] = process.argv.slice(2);
const targets = urls.split(',');
const agent = io(`${agentUrl}/agent`, { auth: { token }, transports: ['websocket'], reconnection: false });
const sentAt = new Map();
let latencies = [];
agent.on('event', (event) => {
  if (event.type !== 'message.upserted' || event.data.message.direction !== 'in') return;
  const started = sentAt.get(event.data.message.channelMessageId);
  if (started === undefined) return;
  sentAt.delete(event.data.message.channelMessageId);
  latencies.push(performance.now() - started);
});
agent.on('connect', () => process.send('ready'));

process.on('message', async ({ batch, rate }) => {
  latencies = [];
  const start = performance.now();
  const inFlight = [];
  const answered = [];
  let failed = 0;
  for (let i = 0; i < batch.length; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { id, raw, signature } = batch[i];
    const postedAt = performance.now();
    sentAt.set(id, postedAt);
    inFlight.push(
      fetch(targets[i % targets.length], { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw })
        .then((response) => {
          if (response.status !== 200) failed += 1;
          else answered.push(performance.now() - postedAt);
          return response.arrayBuffer();
        })
        .catch(() => (failed += 1)),
    );
  }
  const sentIn = performance.now() - start;
  await Promise.all(inFlight);
  const deadline = performance.now() + 15_000;
  while (latencies.length < batch.length && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  process.send({ latencies, answered, sentIn, failed });
});
