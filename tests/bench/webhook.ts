/**
 * WhatsApp webhook in → agent socket out, on loopback, in three deployments:
 *   - SQLite, one server process (the default);
 *   - PostgreSQL, one server process;
 *   - PostgreSQL and Redis, three server processes (webhooks round-robin, the agent on the first).
 * Each server is the real `charla-server` CLI as a child process. For each deployment it prints:
 *   - p50/p99 latency from the POST to the `message.upserted` event an agent socket receives, at
 *     500 signed deliveries/s for 4 s (from 200 customers), after a warm-up (each customer's first
 *     message, then a second at that rate, not counted: the steady state is measured);
 *   - the highest rate of a ladder held without backlog: every delivery answered 200 and seen by
 *     the agent, and the last quarter's median latency under 200 ms (a queue that grows shows there);
 *   - CPU per message of each process (each Node server, PostgreSQL's processes together, Redis)
 *     over the 500/s run, from /proc.
 * The machine's load average is printed beside the figures (the machine may be shared).
 * The last line is the SQLite p99 (budget ≤ 20 ms).
 *
 * The deliveries come from a separate process (as Meta's do) and the agent's socket lives in
 * another (as an agent's browser does), so that neither takes a server's CPU and the agent's clock
 * is not held up by the sending; their CPU is printed apart, since they share the machine.
 * BENCH_WORKSPACES=N spreads the 200 customers over N workspaces (each its own WhatsApp number and
 * agent socket; default 1, the busy workspace whose lots take turns). BENCH_DEPLOYMENTS=sqlite,postgres,cluster picks deployments (also `postgres-bypass`: one process
 * connected as the superuser, whom row-level security does not hold, to measure what the policies
 * cost); RATE sets the fixed rate; BENCH_LADDER=0 skips the ladder. On SQLite it also measures what
 * connected agents cost (CPU per message and memory per socket, 2 to 301 sockets at 250/s, the bench's own agent included);
 * BENCH_AGENTS=0 skips that.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { signatureOf } from '../../server/src/channels/signature.js';
import { SecretBox } from '../../server/src/secrets.js';
import { createWorkspace } from '../../server/src/services/workspaces.js';
import { Store } from '../../server/src/store/index.js';
import { WA, waText } from '../support/channels.js';
import { startFakeGraph } from '../support/fake-graph.js';
import { asServerRole, createTestDatabase, postgresUnavailable } from '../support/postgres.js';
import { redisUnavailable, startRedis } from '../support/redis.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { api } from '../server/helpers.js';

const RATE = Number(process.env.RATE ?? 500);
const SECONDS = 4;
const LADDER = [250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2500, 3000];
const LADDER_SECONDS = 3;
const CUSTOMERS = 200;
/** Workspaces the customers write to (each its own WhatsApp number and agent): BENCH_WORKSPACES, default 1. */
const WORKSPACES = Math.max(1, Number(process.env.BENCH_WORKSPACES ?? 1));
/** The WhatsApp number of workspace `w`. */
const phoneNumberIdOf = (w: number) => (w === 0 ? WA.phoneNumberId : `${WA.phoneNumberId.slice(0, -3)}${String(w).padStart(3, '0')}`);
/** Agent sockets connected at once when measuring what each costs (see `connectedAgents`). */
const AGENT_STEPS = [1, 100, 300];
const SECRET_KEY = 'ab'.repeat(32);
const TICK_MS = 10; // /proc times are in clock ticks of 1/100 s

type Deployment = 'sqlite' | 'postgres' | 'postgres-bypass' | 'cluster';
const wanted = (process.env.BENCH_DEPLOYMENTS ?? 'sqlite,postgres,cluster').split(',') as Deployment[];

interface Delivery { id: string; raw: string; signature: string }
/** `frames`: the events the agent's sockets received, all of them together. */
interface Outcome { latencies: number[]; answered: number[]; sentIn: number; failed: number; frames: number }

/** CPU time (ms) a process has used so far, 0 when it is gone. */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** `pid` and its children (PostgreSQL's backends are the postmaster's children). */
function withChildren(pid: number): number[] {
  const pids = [pid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

/** The next message `child` sends that has `key`. */
function answerOf<T>(child: ChildProcess, key: string): Promise<T> {
  return new Promise((resolve) => {
    const onMessage = (m: unknown) => {
      if (typeof m === 'object' && m && key in m) {
        child.off('message', onMessage);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
  });
}

/** Posts `batch` at `rate` from the sender; latencies to the agent's socket (of those that arrived) and to the 200s. */
async function runBatch(sender: ChildProcess, agent: ChildProcess, batch: Delivery[], rate: number): Promise<Outcome> {
  const sent = answerOf<{ postedAt: number[]; answered: number[]; sentIn: number; failed: number }>(sender, 'postedAt');
  sender.send({ batch, rate });
  const { postedAt, answered, sentIn, failed } = await sent;
  const seen = answerOf<{ arrivals: Array<number | null>; frames: number }>(agent, 'arrivals');
  agent.send({ ids: batch.map(({ id }) => id) });
  const { arrivals, frames } = await seen;
  const latencies = arrivals.flatMap((at, index) => (at === null ? [] : [at - postedAt[index]!]));
  return { latencies, answered, sentIn, failed, frames };
}

/** One of the bench's helper processes (webhook-sender.mjs `post …` or `agent …`), once it is ready. */
async function startHelper(args: string[]): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL('./webhook-sender.mjs', import.meta.url)), args);
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  return child;
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
const load = () => loadavg().map((n) => n.toFixed(2)).join(' ');

let sequence = 0;
function deliveries(count: number): Delivery[] {
  return Array.from({ length: count }, () => {
    const i = sequence++;
    const payload = waText(`52155${String(10_000_000 + (i % CUSTOMERS))}`, `Cliente ${i % CUSTOMERS}`, `Mensaje ${i}`) as any;
    // Each customer writes to one workspace.
    payload.entry[0].changes[0].value.metadata.phone_number_id = phoneNumberIdOf((i % CUSTOMERS) % WORKSPACES);
    const raw = JSON.stringify(payload);
    return { id: payload.entry[0].changes[0].value.messages[0].id as string, raw, signature: signatureOf(raw, WA.appSecret) };
  });
}

async function bench(deployment: Deployment): Promise<{ p99: number } | null> {
  const label = WORKSPACES > 1 ? `${deployment} (${WORKSPACES} workspaces)` : deployment;
  const unavailable = deployment === 'sqlite' ? null : (postgresUnavailable() ?? (deployment === 'cluster' ? redisUnavailable() : null));
  if (unavailable) {
    console.log(`${label}: skipped (${unavailable})`);
    return null;
  }
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    const dir = mkdtempSync(join(tmpdir(), 'charla-bench-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const graph = await startFakeGraph();
    cleanups.push(() => graph.close());
    for (let w = 0; w < WORKSPACES; w += 1) graph.grant(WA.accessToken, phoneNumberIdOf(w));
    const env: Record<string, string> = { CHARLA_SECRET_KEY: SECRET_KEY, CHARLA_GRAPH_URL: graph.url, CHARLA_DB: join(dir, 'charla.db') };
    const infrastructure: Record<string, number[]> = {};
    let store: Store;
    /** What PostgreSQL's autovacuum does within a minute of the first rows (see the warm-up). */
    let analyze = async () => {};
    if (deployment === 'sqlite') {
      store = await Store.open(env.CHARLA_DB!, SecretBox.fromKeys(SECRET_KEY));
    } else {
      const adminUrl = await createTestDatabase();
      analyze = async () => {
        const admin = new pg.Client({ connectionString: adminUrl });
        await admin.connect();
        await admin.query('ANALYZE').finally(() => admin.end());
      };
      env.CHARLA_DATABASE_URL = deployment === 'postgres-bypass' ? adminUrl : await asServerRole(adminUrl);
      env.CHARLA_DATABASE_ADMIN_URL = adminUrl;
      store = await Store.connect(adminUrl, SecretBox.fromKeys(SECRET_KEY));
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      const { rows } = await admin.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
      await admin.end();
      const postmaster = Number(readFileSync(join(rows[0]!.setting, 'postmaster.pid'), 'utf8').split('\n')[0]);
      infrastructure.PostgreSQL = [postmaster];
      if (deployment === 'cluster') {
        const redis = await startRedis();
        cleanups.push(() => redis.stop());
        env.CHARLA_REDIS_URL = redis.url;
        const port = Number(new URL(redis.url).port);
        const pid = readdirSync('/proc').find((entry) => {
          try {
            return /^\d+$/.test(entry) && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${port}`) && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('redis-server');
          } catch {
            return false;
          }
        });
        infrastructure.Redis = pid ? [Number(pid)] : [];
      }
    }
    const tokens: string[] = [];
    try {
      const { agents } = await createWorkspace(store, {
        name: 'Acme', widgetKey: 'acme-bench', agents: [{ name: 'Ana Admin', email: 'admin@acme.test', role: 'admin' }, { name: 'Bruno Agent', email: 'bruno@acme.test', role: 'agent' }],
      });
      tokens.push(agents[0]!.token);
      for (let w = 1; w < WORKSPACES; w += 1) {
        const more = await createWorkspace(store, { name: `Acme ${w}`, widgetKey: `acme-bench-${w}`, agents: [{ name: 'Ana Admin', email: `admin${w}@acme.test`, role: 'admin' }] });
        tokens.push(more.agents[0]!.token);
      }
    } finally {
      await store.close();
    }
    const servers = await Promise.all(Array.from({ length: deployment === 'cluster' ? 3 : 1 }, (_, index) => startServerProcess(String(index + 1), env)));
    cleanups.push(() => Promise.all(servers.map(({ child }) => new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    }))).then(() => undefined));
    for (const [w, token] of tokens.entries()) {
      const configured = await api(servers[0]!.url, '/api/v1/channels/whatsapp', { token, method: 'PUT', body: { ...WA, phoneNumberId: phoneNumberIdOf(w) } });
      if (configured.status !== 200) throw new Error(`WhatsApp not configured: ${JSON.stringify(configured.body)}`);
    }
    const token = tokens[0]!;

    const [sender, agent] = await Promise.all([
      startHelper(['post', servers.map(({ url }) => `${url}/webhooks/whatsapp`).join(',')]),
      // One agent socket per workspace (each sees its own workspace's messages).
      startHelper(['agent', servers[0]!.url, tokens.join(',')]),
    ]);
    cleanups.push(() => void sender.kill(), () => void agent.kill());
    // Warm up: each customer's contact and conversation are created here; then a second at the
    // measured rate, not counted, so the figures are the steady state (compiled code, caches).
    await runBatch(sender, agent, deliveries(CUSTOMERS), 100);
    // A database that has just been given its first rows has no statistics yet, and PostgreSQL
    // plans as if its tables were empty (a whole workspace's conversations scanned to find one
    // contact's); autovacuum analyzes them within its first minute (autovacuum_naptime), which a
    // running deployment is long past and the bench is not: it analyzes them here, once.
    await analyze();
    await runBatch(sender, agent, deliveries(RATE), RATE);

    // The fixed rate: latency and CPU per message of each process.
    const processes: Record<string, number[]> = Object.fromEntries(servers.map(({ child }, index) => [`Node ${index + 1}`, [child.pid!]]));
    // The sender and the agent are not a server's cost, but they share the machine: shown apart.
    processes['sender'] = [sender.pid!];
    processes['agent'] = [agent.pid!];
    const pidsOf = (name: string) => (name in infrastructure ? infrastructure[name]!.flatMap(withChildren) : processes[name]!);
    const names = [...Object.keys(processes), ...Object.keys(infrastructure)];
    const before = Object.fromEntries(names.map((name) => [name, pidsOf(name).reduce((sum, pid) => sum + cpuMs(pid), 0)]));
    const loadBefore = load();
    const total = RATE * SECONDS;
    const fixed = await runBatch(sender, agent, deliveries(total), RATE);
    const cpu = names.map((name) => `${name} ${((pidsOf(name).reduce((sum, pid) => sum + cpuMs(pid), 0) - before[name]!) / total).toFixed(2)}`);
    const sorted = [...fixed.latencies].sort((a, b) => a - b);
    const answered = [...fixed.answered].sort((a, b) => a - b);
    console.log(
      `${label}: ${RATE}/s for ${SECONDS} s: ${sorted.length}/${total} delivered (${fixed.failed} refused); p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms` +
        ` (stored and answered 200: p50 ${quantile(answered, 0.5).toFixed(1)} ms, p99 ${quantile(answered, 0.99).toFixed(1)} ms)`,
    );
    console.log(`${label}: CPU ms per message: ${cpu.join(', ')} (load average ${loadBefore})`);

    // The ladder: the highest rate held without backlog.
    let held = 0;
    const steps: string[] = [];
    for (const rate of process.env.BENCH_LADDER === '0' ? [] : LADDER) {
      const count = rate * LADDER_SECONDS;
      const outcome = await runBatch(sender, agent, deliveries(count), rate);
      const tail = [...outcome.latencies.slice(Math.floor(outcome.latencies.length * 0.75))].sort((a, b) => a - b);
      const sentRate = count / (outcome.sentIn / 1000);
      const ok = outcome.latencies.length === count && outcome.failed === 0 && quantile(tail, 0.5) < 200 && sentRate >= rate * 0.9;
      steps.push(`${rate}/s ${ok ? 'held' : 'backlog'} (sent at ${Math.round(sentRate)}/s, last-quarter p50 ${quantile(tail, 0.5).toFixed(0)} ms, ${outcome.latencies.length}/${count})`);
      if (!ok) break;
      held = rate;
    }
    console.log(`${label}: highest rate held without backlog: ${held}/s; ${steps.join('; ')} (load average ${load()})`);
    if (deployment === 'sqlite' && WORKSPACES === 1 && process.env.BENCH_AGENTS !== '0') await connectedAgents(servers[0]!, sender, token);
    return { p99: quantile(sorted, 0.99) };
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** Resident memory of a process, in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '') ?? NaN) / 1024;
}

/**
 * What connected agents cost a server: with AGENT_STEPS more sockets of the workspace's agent
 * beside the bench's own (each receives every event), the server's CPU per message at 250/s and
 * its resident memory once they are connected; the per-socket costs come from the difference.
 */
async function connectedAgents(server: ServerProcess, sender: ChildProcess, token: string): Promise<void> {
  const pid = server.child.pid!;
  const rows: Array<{ sockets: number; cpu: number; rss: number; frames: number }> = [];
  for (const step of AGENT_STEPS) {
    const more = await startHelper(['agent', server.url, token, String(step)]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const rss = rssMb(pid);
      const count = 250 * SECONDS;
      const before = cpuMs(pid);
      const { frames } = await runBatch(sender, more, deliveries(count), 250);
      // The bench's own agent stays connected and receives them too: one socket more.
      rows.push({ sockets: step + 1, cpu: (cpuMs(pid) - before) / count, rss, frames: frames / count });
    } finally {
      more.kill();
    }
  }
  const first = rows[0]!;
  const last = rows.at(-1)!;
  const perSocket = (last.cpu - first.cpu) / (last.sockets - first.sockets);
  const memory = ((last.rss - first.rss) * 1024) / (last.sockets - first.sockets);
  console.log(
    `sqlite: connected agents at 250/s: ${rows.map((row) => `${row.sockets} → Node ${row.cpu.toFixed(2)} ms/msg, RSS ${row.rss.toFixed(0)} MB (the added sockets received ${row.frames.toFixed(0)} events per message)`).join('; ')}` +
      `; each socket ≈ ${(perSocket * 1000).toFixed(1)} µs of CPU per message and ≈ ${memory.toFixed(0)} kB (load average ${load()})`,
  );
}

const results: Partial<Record<Deployment, { p99: number } | null>> = {};
for (const deployment of wanted) results[deployment] = await bench(deployment);
const figure = results.sqlite ?? results.postgres ?? results.cluster;
console.log(`webhook: ${figure ? figure.p99.toFixed(1) : 'NaN'} ms`);
process.exit(0);
