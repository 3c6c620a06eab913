/** The real `charla-server` CLI as a child process (cluster suite, benchmarks). */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
}

/** Starts `charla-server` on a free port with `env`; resolves with its URL once it listens. */
export function startServerProcess(name: string, env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/cli.ts', '--host', '127.0.0.1', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += String(chunk);
      const match = /API\s+(http:\/\/127\.0\.0\.1:\d+)\/api\/v1/.exec(output);
      if (match) {
        child.stdout!.off('data', onData);
        resolve({ name, url: match[1]!, child });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += String(chunk);
    });
    child.once('exit', (code) => reject(new Error(`Process ${name} exited with ${code}: ${output}`)));
  });
}
