/**
 * A real IMAP server for tests: Dovecot (Debian's dovecot-imapd) started as this test's own
 * process on a free loopback port, with a throwaway mail folder and one user. Stopped with the
 * test process, also when it is interrupted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

export const DOVECOT = '/usr/sbin/dovecot';
export const dovecotMissing = existsSync(DOVECOT) ? null : `Dovecot is not installed (${DOVECOT}; apt-get install dovecot-imapd)`;

export interface Dovecot {
  port: number;
  user: string;
  pass: string;
  /** `imap://user:pass@127.0.0.1:port` */
  url: string;
  /** Delivers a raw message to the user's INBOX (IMAP APPEND, as a mail server's delivery does). */
  deliver(raw: string): Promise<void>;
  /** Stops the server (connections drop); `start` brings it back on the same port and mail. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`Dovecot did not listen on ${port}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function startDovecot(): Promise<Dovecot> {
  const dir = mkdtempSync(join(tmpdir(), 'charla-dovecot-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'mail'));
  chmodSync(join(dir, 'mail'), 0o777);
  const user = 'support@acme.test';
  const pass = 'imap-password';
  writeFileSync(join(dir, 'passwd'), `${user}:{PLAIN}${pass}\n`);
  const port = await freePort();
  const config = join(dir, 'dovecot.conf');
  writeFileSync(config, [
    `base_dir = ${dir}/run`,
    `state_dir = ${dir}/state`,
    `log_path = ${dir}/dovecot.log`,
    'protocols = imap',
    'listen = 127.0.0.1',
    'ssl = no',
    'disable_plaintext_auth = no',
    'auth_mechanisms = plain login',
    `mail_location = maildir:${dir}/mail/%n`,
    'first_valid_uid = 65534',
    'passdb {', '  driver = passwd-file', `  args = scheme=PLAIN username_format=%u ${dir}/passwd`, '}',
    'userdb {', '  driver = static', `  args = uid=65534 gid=65534 home=${dir}/mail/%n`, '}',
    'service imap-login {', '  inet_listener imap {', '    address = 127.0.0.1', `    port = ${port}`, '  }',
    '  inet_listener imaps {', '    port = 0', '  }', '}',
    'service stats {', '  unix_listener stats-reader {', '    mode = 0666', '  }', '  unix_listener stats-writer {', '    mode = 0666', '  }', '}',
    '',
  ].join('\n'));

  let child: ChildProcess | null = null;
  const kill = () => child?.kill('SIGTERM');
  process.once('exit', kill);
  const start = async () => {
    child = spawn(DOVECOT, ['-F', '-c', config], { stdio: 'ignore' });
    await waitForPort(port, Date.now() + 10_000);
  };
  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
    });
  };
  await start();
  return {
    port,
    user,
    pass,
    url: `imap://${encodeURIComponent(user)}:${pass}@127.0.0.1:${port}`,
    async deliver(raw) {
      const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user, pass }, logger: false });
      await client.connect();
      await client.append('INBOX', raw);
      await client.logout();
    },
    stop,
    start,
    async close() {
      await stop();
      process.off('exit', kill);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
