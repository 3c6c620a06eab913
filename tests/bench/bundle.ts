/**
 * What a host pays for each entry: builds one small Vite app per published entry from the built
 * packages (`node scripts/packages.mjs build`, i.e. each package's dist/ and its published
 * `exports`), and prints the gzip size of what the page loads up front (the entry chunk and the
 * chunks it imports statically; locales and other lazily imported chunks are not counted). Each
 * file is compressed on its own, as a server sends it.
 *
 *   kanban: `@charla/elements/kanban.js` with lit, @charla/client and socket.io   ≤ 45 KB
 *   root:   `@charla/elements` (every element) with @charla/client                ≤ 90 KB
 *   the webchat loader (/widget.js)                                               ≤ 10 KB
 *   the opened widget panel (/widget-panel.js)                                     ≤ 35 KB
 *
 * Run: npm run bench -- bundle   (CHARLA_BENCH_NO_BUILD=1 packs and measures the last package build)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Manifest, type Plugin } from 'vite';

const root = resolve(import.meta.dirname, '../..');
const work = join(root, '.build/bench-bundle');
const BUDGETS_KB = { kanban: 45, root: 90, loader: 10, panel: 35 };

type Exports = Record<string, string | { import?: string }>;

/**
 * `@charla/<name>[/subpath]` resolved as an installed package: the staged package (`pack`) with its
 * published manifest, whose `exports` point into dist/ and whose `sideEffects` the bundler obeys.
 */
function publishedPackages(): Plugin {
  return {
    name: 'charla-published-packages',
    enforce: 'pre',
    resolveId(source) {
      const match = /^@charla\/([a-z]+)(\/.*)?$/.exec(source);
      if (!match) return null;
      const folder = join(root, '.build/stage', `@charla+${match[1]}`);
      const exports = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).exports as Exports;
      const target = exports[`.${match[2] ?? ''}`];
      const file = typeof target === 'string' ? target : target?.import;
      if (!file) throw new Error(`${source} is not exported by the published package`);
      return join(folder, file);
    },
  };
}

/** Gzip KB of the files a page loads up front for `entry`: its chunk and, transitively, its static imports. */
function upFrontKb(outDir: string, manifest: Manifest, entry: string): number {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  visit(entry);
  let bytes = 0;
  for (const key of seen) {
    const chunk = manifest[key]!;
    bytes += gzipSync(readFileSync(join(outDir, chunk.file))).length;
    for (const css of chunk.css ?? []) bytes += gzipSync(readFileSync(join(outDir, css))).length;
  }
  return bytes / 1024;
}

async function hostApp(name: string, code: string): Promise<number> {
  const dir = join(work, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'main.js'), code);
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    plugins: [publishedPackages()],
    build: {
      outDir: join(dir, 'dist'),
      emptyOutDir: true,
      manifest: true,
      target: 'es2022',
      rolldownOptions: { input: join(dir, 'main.js') },
    },
  });
  const manifest = JSON.parse(readFileSync(join(dir, 'dist/.vite/manifest.json'), 'utf8')) as Manifest;
  return upFrontKb(join(dir, 'dist'), manifest, 'main.js');
}

execFileSync(process.execPath, ['scripts/packages.mjs', 'pack', ...(process.env.CHARLA_BENCH_NO_BUILD ? ['--no-build'] : [])], {
  cwd: root,
  stdio: 'ignore',
});

const elementsExports = JSON.parse(readFileSync(join(root, 'packages/elements/package.json'), 'utf8')).publishConfig.exports as Exports;
const entries = Object.keys(elementsExports).filter((key) => /^\.\/[a-z-]+\.js$/.test(key)).map((key) => key.slice(2, -3));
// A host creates the client it hands to the elements, so every app imports @charla/client too.
const withClient = (specifier: string) =>
  `import '${specifier}';\nimport { CharlaClient } from '@charla/client';\nglobalThis.CharlaClient = CharlaClient;\n`;

const sizes: Array<[string, number]> = [];
for (const entry of entries) sizes.push([`@charla/elements/${entry}.js`, await hostApp(entry, withClient(`@charla/elements/${entry}.js`))]);
const rootKb = await hostApp('root', withClient('@charla/elements'));
sizes.push(['@charla/elements', rootKb]);
sizes.push(['@charla/webchat (<charla-webchat> element)', await hostApp('webchat', `import '@charla/webchat';\n`)]);

// The loader and panel are the files the server sends, built as `npm run build` builds them.
for (const mode of ['widget-loader', 'widget-panel']) await build({ root, configFile: resolve(root, 'vite.config.ts'), mode, logLevel: 'warn' });
const widgetKb = (file: string) => gzipSync(readFileSync(join(root, 'dist/widget', file))).length / 1024;
const loaderKb = widgetKb('widget.js');
const panelKb = widgetKb('widget-panel.js');
sizes.push(['webchat loader /widget.js', loaderKb], ['webchat panel /widget-panel.js', panelKb]);

const kanbanKb = sizes.find(([name]) => name === '@charla/elements/kanban.js')![1];
const width = Math.max(...sizes.map(([name]) => name.length));
for (const [name, kb] of sizes) console.log(`${name.padEnd(width)}  ${kb.toFixed(1).padStart(6)} KB gzip`);

const over = [
  kanbanKb > BUDGETS_KB.kanban && `kanban ${kanbanKb.toFixed(1)} KB > ${BUDGETS_KB.kanban} KB`,
  rootKb > BUDGETS_KB.root && `root ${rootKb.toFixed(1)} KB > ${BUDGETS_KB.root} KB`,
  loaderKb > BUDGETS_KB.loader && `loader ${loaderKb.toFixed(1)} KB > ${BUDGETS_KB.loader} KB`,
  panelKb > BUDGETS_KB.panel && `panel ${panelKb.toFixed(1)} KB > ${BUDGETS_KB.panel} KB`,
].filter(Boolean);
if (over.length > 0) {
  console.error(`over budget: ${over.join('; ')}`);
  process.exitCode = 1;
}
console.log(`bundle: ${rootKb.toFixed(1)} KB root, ${kanbanKb.toFixed(1)} KB kanban`);
