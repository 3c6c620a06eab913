import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';

const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/**
 * `await executeServerCommand('emulate-touch', { enabled: true })`: Chromium's touch emulation
 * (DevTools' device mode), under which `(pointer: coarse)` matches as on a phone.
 */
function touchEmulationPlugin() {
  return {
    name: 'emulate-touch',
    async executeCommand({ command, payload, session }) {
      if (command !== 'emulate-touch') return undefined;
      const page = session.browser.getPage(session.id);
      const cdp = await page.createCDPSession();
      await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: Boolean(payload?.enabled), maxTouchPoints: 5 });
      await cdp.send('Emulation.setEmitTouchEventsForMouse', { enabled: Boolean(payload?.enabled), configuration: 'mobile' });
      return true;
    },
  };
}

/**
 * `await executeServerCommand('hold-virtualizer', { hold: true })`: requests for
 * @tanstack/virtual-core wait until `{ hold: false }`, as on a slow network, so a test sees the
 * lists before the virtualizer has loaded (the lists load it on demand). Holding turns the page's
 * HTTP cache off (an earlier test file's page may have cached the module). Every call answers how
 * many of those requests were served.
 */
const virtualizerGate = { held: null, release: null, served: 0 };
async function holdVirtualizerMiddleware(context, next) {
  if (!context.path.includes('/@tanstack/virtual-core/')) return next();
  if (virtualizerGate.held) await virtualizerGate.held;
  await next();
  virtualizerGate.served += 1;
}
function holdVirtualizerPlugin() {
  return {
    name: 'hold-virtualizer',
    async executeCommand({ command, payload, session }) {
      if (command !== 'hold-virtualizer') return undefined;
      if (payload?.hold && !virtualizerGate.held) {
        const cdp = await session.browser.getPage(session.id).createCDPSession();
        await cdp.send('Network.enable');
        await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
        virtualizerGate.held = new Promise((resolve) => (virtualizerGate.release = resolve));
      }
      if (payload?.hold === false && virtualizerGate.held) {
        virtualizerGate.release();
        virtualizerGate.held = null;
      }
      return { served: virtualizerGate.served };
    },
  };
}

export default {
  files: ['tests/components/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'], browser: true },
  middleware: [holdVirtualizerMiddleware],
  plugins: [
    touchEmulationPlugin(),
    holdVirtualizerPlugin(),
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
          '--disable-component-update', '--disable-sync', '--no-first-run',
        ],
      },
    }),
  ],
  // Libraries such as @tanstack/virtual-core read process.env.NODE_ENV, which bundlers replace.
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html><body>
      <script>window.process = { env: { NODE_ENV: 'production' } };</script>
      <script type="module" src="${testFramework}"></script>
    </body></html>`,
  concurrency: 1,
  testFramework: { config: { timeout: 10000 } },
  testsFinishTimeout: 300000,
};
