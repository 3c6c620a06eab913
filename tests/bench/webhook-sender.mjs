// The webhook bench's two helper processes, so that neither takes a server's CPU nor delays the
// other's clock:
//   `post <urls>`: stands for Meta. It POSTs signed deliveries at a given rate (round-robin over
//   the server processes given) and reports when each was posted and how long its 200 took.
//   `agent <url> <token>`: stands for an agent's browser. Connected to the agent socket, it notes
//   when each delivery's `message.upserted` arrives.
// Times are the machine's clock (`performance.timeOrigin + performance.now()`), the same in both.
import { Agent, request } from 'node:http';
import { io } from 'socket.io-client';

const [mode, ...args] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();

if (mode === 'agent') {
  // `count` sockets of the agent (as many open tabs or agents of the workspace): the first one's
  // arrivals are timed; the events all of them receive are counted.
  // `token` may be several, comma-separated: one socket per workspace, each timing its own workspace's messages.
  const [url, token, count = '1'] = args;
  const tokens = token.includes(',') ? token.split(',') : Array.from({ length: Number(count) }, () => token);
  const timed = (i) => token.includes(',') || i === 0;
  const copies = token.includes(',') ? 1 : Number(count);
  let arrivals = new Map();
  let frames = 0;
  let connected = 0;
  for (const [i, auth] of tokens.entries()) {
    const agent = io(`${url}/agent`, { auth: { token: auth }, transports: ['websocket'], reconnection: false, forceNew: true });
    agent.on('events', (events) => {
      for (const event of events) {
        if (event.type !== 'message.upserted' || event.data.message.direction !== 'in') continue;
        frames += 1;
        if (timed(i) && !arrivals.has(event.data.message.channelMessageId)) arrivals.set(event.data.message.channelMessageId, now());
      }
    });
    agent.once('connect', () => ++connected === tokens.length && process.send('ready'));
  }
  // `{ ids }`: the arrival time of each (null: not arrived within 15 s) and the events counted on
  // all sockets, then forgets them.
  process.on('message', async ({ ids }) => {
    const deadline = now() + 15_000;
    const all = () => ids.every((id) => arrivals.has(id)) && frames >= ids.length * copies;
    while (!all() && now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    process.send({ arrivals: ids.map((id) => arrivals.get(id) ?? null), frames });
    arrivals = new Map();
    frames = 0;
  });
} else {
  const targets = args[0].split(',').map((url) => new URL(url));
  // Plain node:http with kept-alive connections: fetch costs the machine about three times as
  // much CPU per request, and this process shares the machine with the servers it measures.
  const pool = new Agent({ keepAlive: true, maxSockets: 256 });
  const post = (target, body, signature) => new Promise((resolve, reject) => {
    const req = request(target, {
      method: 'POST', agent: pool,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-hub-signature-256': signature },
    }, (response) => {
      response.resume();
      response.once('end', () => resolve(response.statusCode));
      response.once('error', reject);
    });
    req.once('error', reject);
    req.end(body);
  });
  process.send('ready');
  // `{ batch, rate }`: each delivery's post time, the 200s' latencies, how long sending took.
  process.on('message', async ({ batch, rate }) => {
    const start = performance.now();
    const postedAt = [];
    const answered = [];
    const inFlight = [];
    let failed = 0;
    for (let i = 0; i < batch.length; i += 1) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      const { raw, signature } = batch[i];
      const posted = now();
      postedAt.push(posted);
      inFlight.push(
        post(targets[i % targets.length], raw, signature).then(
          (status) => (status === 200 ? answered.push(now() - posted) : (failed += 1)),
          () => (failed += 1),
        ),
      );
    }
    const sentIn = performance.now() - start;
    await Promise.all(inFlight);
    process.send({ postedAt, answered, sentIn, failed });
  });
}
