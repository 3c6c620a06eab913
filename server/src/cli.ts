/**
 * `charla-server [--port 3000] [--host HOST] [--db ./data/charla.db] [--demo]`
 * PORT, CHARLA_DB and CHARLA_ADMIN_TOKEN set the defaults.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCharlaServer } from './app.js';

const USAGE = 'Usage: charla-server [--port 3000] [--host HOST] [--db ./data/charla.db] [--demo]';

function parseFlags() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        demo: { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const values = parseFlags();
const port = Number(values.port ?? process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`Invalid port: ${values.port ?? process.env.PORT}\n${USAGE}`);
  process.exit(2);
}
const dbPath = resolve(values.db ?? process.env.CHARLA_DB ?? './data/charla.db');
mkdirSync(dirname(dbPath), { recursive: true });

const server = await createCharlaServer({
  dbPath,
  demo: values.demo,
  ...(process.env.CHARLA_ADMIN_TOKEN ? { adminToken: process.env.CHARLA_ADMIN_TOKEN } : {}),
});
const { port: actualPort } = await server.listen(port, values.host).catch(async (error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use (set --port or PORT)` : error.message);
  await server.close();
  process.exit(1);
});

const shownHost = !values.host || values.host === '0.0.0.0' || values.host === '::' ? 'localhost' : values.host;
const base = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${actualPort}`;
const lines = [
  'Charla is running',
  `  Admin panel   ${base}/admin`,
  `  Sample shop   ${base}/shop`,
  `  API           ${base}/api/v1`,
];
if (server.adminToken) lines.push(`  Admin token   ${server.adminToken}`);
console.log(lines.join('\n'));

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal} received, shutting down…`);
  try {
    await server.close();
    process.exit(0);
  } catch (error) {
    console.error('Shutdown failed', error);
    process.exit(1);
  }
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
