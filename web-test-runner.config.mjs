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

export default {
  files: ['tests/components/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'], browser: true },
  plugins: [
    touchEmulationPlugin(),
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
