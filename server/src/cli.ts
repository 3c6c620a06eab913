/**
 * `charla-server [--port 3000] [--host HOST] [--db ./data/charla.db] [--database-url postgres://…] [--redis-url redis://…] [--demo [--demo-public]]`
 * PORT, CHARLA_DB, CHARLA_DATABASE_URL (with CHARLA_DATABASE_ADMIN_URL, the tables' owner), CHARLA_REDIS_URL and CHARLA_ADMIN_TOKEN set the defaults. The demo listens on 127.0.0.1 unless
 * `--demo-public` says the operator means to publish its admin token and app secrets.
 */
import { parseArgs } from 'node:util';
import { createCharlaServer, type CharlaServer } from './app.js';
import { ConfigError, readCliConfig, type CliConfig } from './config.js';
import { isLoopback } from './http/demo-access.js';

const USAGE = 'Usage: charla-server [--port 3000] [--host HOST] [--db ./data/charla.db] [--database-url postgres://…] [--redis-url redis://…] [--demo [--demo-public]]';

function parseFlags() {
  try {
    return parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        'database-url': { type: 'string' },
        'redis-url': { type: 'string' },
        demo: { type: 'boolean', default: false },
        'demo-public': { type: 'boolean', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
}

const values = parseFlags();
// Every setting is checked before anything opens: a bad one stops the server with one line.
let config: CliConfig;
try {
  config = readCliConfig({ port: values.port, db: values.db, databaseUrl: values['database-url'], redisUrl: values['redis-url'] }, process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(2);
}
const { port, dbPath } = config;
const demoPublic = values['demo-public'];
// The demo hands its admin token and app secrets to whoever can reach it.
const host = values.host ?? (values.demo && !demoPublic ? '127.0.0.1' : undefined);
if (values.demo && !demoPublic && host !== undefined && host !== 'localhost' && !isLoopback(host)) {
  console.error(`The demo serves its admin token and app secrets: it listens on 127.0.0.1 only (add --demo-public to listen on ${host} anyway)`);
  process.exit(2);
}
let server: CharlaServer;
try {
  server = await createCharlaServer({
    dbPath,
    ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}),
    ...(config.databaseAdminUrl ? { databaseAdminUrl: config.databaseAdminUrl } : {}),
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    demo: values.demo,
    demoPublic,
    ...(config.adminToken ? { adminToken: config.adminToken } : {}),
  });
} catch (error) {
  // The database could not be opened or migrated, or a setting the checks above let through.
  console.error(`Charla could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
const { port: actualPort } = await server.listen(port, host).catch(async (error: NodeJS.ErrnoException) => {
  console.error(error.code === 'EADDRINUSE' ? `Port ${port} is already in use (set --port or PORT)` : error.message);
  await server.close();
  process.exit(1);
});

// Listening for stop signals before saying the server runs: whoever waits for that line may stop it at once.
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
if (values.demo) {
  console.warn(
    demoPublic
      ? 'Warning: demo mode with --demo-public: anyone who reaches this server can read the admin token and the channels\' app secrets.'
      : 'Warning: demo mode is for trying Charla on this machine: the admin token and app secrets are served to local clients.',
  );
}

