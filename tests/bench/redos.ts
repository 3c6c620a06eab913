/**
 * One-message denial of service: signed WhatsApp deliveries of five adversarial 65,536-character
 * texts each (see tests/support/adversarial-texts.ts) while another process asks `/healthz` in a
 * loop. Each text is stored, scanned for contact details and analysed by the offline AI
 * provider; a pattern that backtracks quadratically holds the event loop for seconds and every
 * other request waits. Prints the worst `/healthz` latency in milliseconds.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { postWebhook, startChannelTest, waMessages } from '../support/channels.js';
import { ADVERSARIAL_TEXTS } from '../support/adversarial-texts.js';
import { eventually } from '../server/helpers.js';

const DELIVERIES = 6;
const TEXTS_PER_DELIVERY = 5;

/** Polls `/healthz` one request after the other; prints each latency (ms) on its own line. */
const POLLER = `
const url = process.argv[1];
for (;;) {
  const started = performance.now();
  await (await fetch(url)).text();
  console.log((performance.now() - started).toFixed(1));
  await new Promise((resolve) => setTimeout(resolve, 5));
}`;

const channels = await startChannelTest({ server: { ai: { debounceMs: 10, ratePerMinute: 10_000 } } });
const { test } = channels;
try {
  const poller = spawn(process.execPath, ['--input-type=module', '-e', POLLER, `${test.url}/healthz`], { stdio: ['ignore', 'pipe', 'inherit'] });
  const latencies: number[] = [];
  poller.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n')) if (line) latencies.push(Number(line));
  });
  await eventually(() => latencies.length > 10, 10_000, 'the /healthz poller');

  const shapes = Object.values(ADVERSARIAL_TEXTS);
  const sent = performance.now();
  for (let delivery = 0; delivery < DELIVERIES; delivery += 1) {
    const texts = Array.from({ length: TEXTS_PER_DELIVERY }, (_, i) => shapes[(delivery * TEXTS_PER_DELIVERY + i) % shapes.length]!);
    const payload = waMessages(`52155100000${String(delivery).padStart(2, '0')}`, `Cliente ${delivery}`, texts.map((body) => ({ type: 'text', text: { body } })));
    const { status } = await postWebhook(test.url, 'whatsapp', payload);
    if (status !== 200) throw new Error(`Delivery ${delivery} was refused with ${status}`);
  }
  // Every conversation analysed by the offline provider (the heaviest reader of the texts).
  const workspaceId = test.acme.workspace.id;
  await eventually(async () => {
    const conversations = await test.server.store.conversations.list(workspaceId, { status: 'all', channel: 'whatsapp' }, null, 100);
    const analysed = await Promise.all(conversations.map((c) => test.server.store.ai.insight(workspaceId, c.id)));
    return analysed.filter((stored) => stored?.insight.status === 'ready').length === DELIVERIES;
  }, 120_000, 'the analyses');
  const elapsed = performance.now() - sent;
  const seen = latencies.length;
  await eventually(() => latencies.length > seen + 2, 10_000, 'the poller after the work');
  poller.kill();
  await once(poller, 'exit');
  const worst = Math.max(...latencies);
  console.log(`${DELIVERIES * TEXTS_PER_DELIVERY} texts of 65,536 characters in ${DELIVERIES} deliveries, stored and analysed in ${elapsed.toFixed(0)} ms; ${latencies.length} /healthz answers`);
  console.log(`redos: ${worst.toFixed(0)} ms`);
} finally {
  await channels.close();
}
