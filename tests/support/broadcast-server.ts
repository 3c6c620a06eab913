/**
 * A Charla server in its own process, for tests that kill one mid-work: started with the JSON
 * options in argv[2], it prints `{"port":N}` once listening and runs until it is killed.
 */
import { createCharlaServer, type CharlaServerOptions } from '../../server/src/app.js';

const options = JSON.parse(process.argv[2] ?? '{}') as CharlaServerOptions;
const logger = {
  info() {},
  warn() {},
  error: (...args: unknown[]) => console.error(...args),
};
const server = await createCharlaServer({ ...options, logger });
const { port } = await server.listen(0, '127.0.0.1');
console.log(JSON.stringify({ port }));
