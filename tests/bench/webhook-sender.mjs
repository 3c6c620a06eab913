// The webhook bench's sender process: POSTs signed deliveries at a given rate and reports, for
// each, its id and when the POST started (absolute time, comparable across processes).
const [url] = process.argv.slice(2);

process.on('message', async ({ batch, rate }) => {
  const start = performance.now();
  const inFlight = [];
  for (let i = 0; i < batch.length; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { id, raw, signature } = batch[i];
    process.send({ id, at: performance.timeOrigin + performance.now() });
    inFlight.push(
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature }, body: raw })
        .then((response) => response.arrayBuffer()),
    );
  }
  await Promise.all(inFlight);
  process.send('done');
});
