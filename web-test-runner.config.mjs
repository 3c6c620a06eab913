import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';

const executablePath = process.env.CHROME_PATH ?? '/usr/bin/chromium';

export default {
  files: ['tests/components/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'], browser: true },
  plugins: [
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
