/**
 * The kit as a web developer installs it: every package packed to a tarball, installed into
 * freshly generated host apps (Vite + React 19 with @charla/react, Vite + Vue 3, a plain HTML page
 * loading the prebuilt file), type-checked with default strict settings, built, served on another
 * origin than the server, and used in Chromium against a real Charla server.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { eventually, startDemoServer, type DemoServer } from '../support/demo-server.js';
import { launchChromium } from '../support/browser.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const hosts = fileURLToPath(new URL('./hosts', import.meta.url));
/** The version this repository installed, so hosts install the same one from npm's cache. */
const versionOf = (name: string): string =>
  (JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;

declare global {
  interface Window {
    /** What the host app's handlers heard ("select:ID", "moved:DEAL:STAGE"). */
    hostEvents: string[];
  }
}

interface Packed {
  name: string;
  tarball: string;
}

let packed: Packed[];
let work: string;
const tarball = (name: string) => `file:${packed.find((entry) => entry.name === name)!.tarball}`;

function sh(command: string, args: string[], cwd: string): string {
  const env = { ...process.env };
  delete env.NODE_ENV;
  delete env.NODE_OPTIONS;
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed in ${cwd} (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** A host app from its template, its dependencies installed from the tarballs (and npm's cache). */
function generateHost(name: string, dependencies: Record<string, string>, devDependencies: Record<string, string>): string {
  const dir = join(work, name);
  cpSync(join(hosts, name), dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `${name}-host`, private: true, type: 'module', dependencies, devDependencies }, null, 2));
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  return dir;
}

const CONTENT_TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

/** A static server for a built host, on its own origin, with `/config.js` telling it where Charla is. */
async function serveStatic(dir: string): Promise<{ origin: string; server: Server; configure(config: object): void }> {
  let config = '{}';
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    if (path === '/config.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(`window.charlaHost = ${config};`);
      return;
    }
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { origin: `http://127.0.0.1:${port}`, server, configure: (value) => void (config = JSON.stringify(value)) };
}

let charla: DemoServer;
let browser: Browser;
const apps: Record<string, Awaited<ReturnType<typeof serveStatic>>> = {};
let reactDir: string;

before(async () => {
  execFileSync(process.execPath, ['scripts/packages.mjs', 'pack'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  packed = JSON.parse(readFileSync(join(root, '.build/tarballs/index.json'), 'utf8')) as Packed[];
  work = mkdtempSync(join(tmpdir(), 'charla-hosts-'));
  const charlaDeps = (...names: string[]) => Object.fromEntries(names.map((name) => [name, tarball(name)]));
  const base = { '@charla/protocol': tarball('@charla/protocol'), '@charla/client': tarball('@charla/client'), '@charla/elements': tarball('@charla/elements') };
  const tooling = { vite: versionOf('vite'), typescript: versionOf('typescript') };

  reactDir = generateHost(
    'react',
    { ...base, ...charlaDeps('@charla/react', '@charla/webchat'), lit: versionOf('lit'), react: versionOf('react'), 'react-dom': versionOf('react-dom') },
    { ...tooling, '@vitejs/plugin-react': versionOf('@vitejs/plugin-react'), '@types/react': versionOf('@types/react'), '@types/react-dom': versionOf('@types/react-dom') },
  );
  const vueDir = generateHost(
    'vue',
    { ...base, lit: versionOf('lit'), vue: versionOf('vue') },
    { ...tooling, '@vitejs/plugin-vue': versionOf('@vitejs/plugin-vue'), 'vue-tsc': versionOf('vue-tsc') },
  );
  const plainDir = generateHost('plain', base, {});

  // Default strict TypeScript (library declarations checked too), then a production build.
  sh('npx', ['tsc', '-p', 'tsconfig.json'], reactDir);
  sh('npx', ['vite', 'build'], reactDir);
  sh('npx', ['vue-tsc', '-p', 'tsconfig.json'], vueDir);
  sh('npx', ['vite', 'build'], vueDir);
  // The prebuilt file and the chunks beside it (the views it registers on demand, the languages).
  cpSync(join(plainDir, 'node_modules/@charla/elements/dist/browser'), plainDir, { recursive: true });

  apps.react = await serveStatic(join(reactDir, 'dist'));
  apps.vue = await serveStatic(join(vueDir, 'dist'));
  apps.plain = await serveStatic(plainDir);
  charla = await startDemoServer({ allowedOrigins: Object.values(apps).map((app) => app.origin) });
  for (const app of Object.values(apps)) app.configure({ url: charla.url, token: charla.token });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await charla?.close();
  for (const app of Object.values(apps)) app.server.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the published packages', () => {
  it('hold compiled JavaScript, declarations, README and LICENSE, and no TypeScript sources', () => {
    for (const { name, tarball: file } of packed) {
      const files = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).trim().split('\n');
      assert.ok(files.includes('package/README.md') && files.includes('package/LICENSE'), `${name} ships a README and a LICENSE`);
      assert.ok(files.some((path) => path.endsWith('.d.ts')), `${name} ships declarations`);
      assert.deepEqual(files.filter((path) => /\.tsx?$/.test(path) && !path.endsWith('.d.ts')), [], `${name} ships no sources`);
      const manifest = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' })) as {
        private?: boolean;
        exports: Record<string, string | Record<string, string>>;
      };
      assert.equal(manifest.private, undefined, `${name} is publishable`);
      for (const [entry, target] of Object.entries(manifest.exports)) {
        if (typeof target === 'string') continue;
        assert.equal(Object.keys(target)[0], 'types', `${name} ${entry}: types come first`);
        assert.ok(files.includes(`package/${target.types!.replace(/^\.\//, '')}`), `${name} ${entry}: ${target.types} is in the package`);
      }
    }
    const elements = packed.find((entry) => entry.name === '@charla/elements')!;
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', elements.tarball, 'package/dist/custom-elements.json'], { encoding: 'utf8' })) as {
      modules: Array<{ declarations?: Array<{ tagName?: string; members?: Array<{ name: string; privacy?: string; inheritedFrom?: unknown }>; events?: Array<{ name: string; type?: { text: string } }> }> }>;
    };
    const inbox = manifest.modules.flatMap((module) => module.declarations ?? []).find((declaration) => declaration.tagName === 'charla-inbox')!;
    assert.ok(inbox.members!.some((member) => member.name === 'client' && member.inheritedFrom), 'inherited `.client` is documented');
    assert.ok(!inbox.members!.some((member) => member.privacy === 'private' || member.name.startsWith('#')), 'no private members');
    assert.equal(inbox.events!.find((event) => event.name === 'charla-conversation-select')?.type?.text, 'CustomEvent<ConversationSelectDetail>');
  });

  it('import in Node (server-side rendering) without throwing', () => {
    const out = sh(
      process.execPath,
      ['--input-type=module', '-e', "await import('@charla/elements'); await import('@charla/elements/kanban.js'); await import('@charla/react'); await import('@charla/webchat'); console.log('imported');"],
      reactDir,
    );
    assert.match(out, /imported/);
  });

  for (const host of ['react', 'vue', 'plain'] as const) {
    describe(`in a ${host} host on another origin`, () => {
      let page: Page;
      before(async () => {
        page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
        const errors: string[] = [];
        page.on('pageerror', (error) => errors.push(error.message));
        await page.goto(apps[host]!.origin);
        await page.locator('charla-inbox [role="option"]').first().waitFor({ timeout: 15_000 }).catch((error: Error) => {
          throw new Error(`${error.message}\npage errors: ${errors.join('\n')}`);
        });
      });

      it('lists conversations, and selecting one opens its thread and reaches the host', async () => {
        await page.locator('charla-inbox [role="option"]').first().click();
        const events = await eventually(async () => {
          const seen = await page.evaluate(() => window.hostEvents);
          assert.ok(seen.some((event) => event.startsWith('select:')), "seen.some((event) => event.startsWith('select:'))");
          return seen;
        });
        const conversationId = events.find((event) => event.startsWith('select:'))!.slice('select:'.length);
        await page.locator('charla-thread [part~="bubble"]').first().waitFor();
        assert.equal(await page.evaluate(() => document.querySelector('charla-thread')!.conversationId), conversationId);
      });

      it('moves a deal with the keyboard; the move persists and the host hears it', async () => {
        if (host === 'react') {
          await page.locator('charla-kanban .card .host-card').first().waitFor();
          assert.equal(await page.locator('charla-kanban .card').first().getAttribute('part'), 'card card-custom', 'the React host renders its own cards');
        }
        await page.locator('charla-kanban .card').first().focus();
        await page.keyboard.press('Space');
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('Space');
        const moved = await eventually(async () => {
          const seen = (await page.evaluate(() => window.hostEvents)).find((event) => event.startsWith('moved:'));
          assert.ok(seen, 'the host heard charla-deal-moved');
          return seen;
        }, 10_000);
        const [, dealId, stageId] = moved.split(':');
        const response = await fetch(`${charla.url}/api/v1/deals/${dealId}`, { headers: { authorization: `Bearer ${charla.token}` } });
        const { deal } = (await response.json()) as { deal: { stageId: string } };
        assert.equal(deal.stageId, stageId, 'the server has the deal in its new stage');
      });

      it('never puts the token in the DOM', async () => {
        // A plain loop (no named inner function: the test's compiler would rename it out of the page).
        const attributes = await page.evaluate(() => {
          const values: string[] = [];
          const roots: Array<Document | ShadowRoot> = [document];
          for (let root = roots.pop(); root; root = roots.pop()) {
            for (const element of root.querySelectorAll('*')) {
              for (const attribute of element.attributes) values.push(attribute.value);
              if (element.shadowRoot) roots.push(element.shadowRoot);
            }
          }
          return values;
        });
        assert.ok(attributes.length > 50, 'attributes.length > 50');
        assert.ok(!attributes.some((value) => value.includes(charla.token)), 'no attribute holds the token');
      });
    });
  }
});

describe('@charla/server from its tarball', () => {
  it('runs compiled JavaScript with `charla-server`, and refuses a bad setting in one line', async () => {
    const dir = join(work, 'server');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({
        name: 'server-host',
        private: true,
        type: 'module',
        dependencies: { '@charla/protocol': tarball('@charla/protocol'), '@charla/server': tarball('@charla/server') },
        // better-sqlite3 is built once for the repository; the host links that build instead of compiling it again.
        overrides: { 'better-sqlite3': `file:${join(root, 'node_modules/better-sqlite3')}` },
      }),
    );
    // No install scripts: the linked better-sqlite3 is already built, and rebuilding it would touch the repository's copy.
    sh('npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], dir);
    const cli = join(dir, 'node_modules/.bin/charla-server');
    assert.doesNotMatch(readFileSync(join(dir, 'node_modules/@charla/server/bin/charla-server.js'), 'utf8'), /tsx/);

    const bad = spawnSync(cli, ['--port', '0'], { cwd: dir, encoding: 'utf8', env: { ...process.env, CHARLA_ADMIN_TOKEN: 'short' } });
    assert.equal(bad.status, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);

    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const child = spawn(cli, ['--port', String(port), '--host', '127.0.0.1', '--db', join(dir, 'charla.db')], { cwd: dir, stdio: 'pipe' });
    try {
      const health = await eventually(async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).json(), 20_000);
      assert.deepEqual(health, { ok: true });
      const widget = await fetch(`http://127.0.0.1:${port}/widget.js`);
      assert.equal(widget.status, 200, 'the widget loader ships inside the server package');
    } finally {
      child.kill('SIGTERM');
    }
  });
});
