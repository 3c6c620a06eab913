#!/usr/bin/env node
/**
 * Builds and packs Charla's publishable packages.
 *
 *   node scripts/packages.mjs build   compiles every package to its dist/ (JavaScript + .d.ts),
 *                                     generates the elements' custom-elements.json, JSX and Vue
 *                                     declarations, copies the prebuilt widget files
 *   node scripts/packages.mjs pack    builds, then writes one tarball per package into
 *                                     .build/tarballs/ (what `npm publish` would upload);
 *                                     `--no-build` packs the last build
 *
 * In this repository the packages' `exports` point at their TypeScript sources, so the demo, the
 * tests and Storybook run without a build step. The published manifest is the repository's one
 * with `publishConfig` applied (`exports`, `bin`, …), `private` and development fields removed:
 * what a host installs is plain ES2022 JavaScript that needs no decorator or class-field setting.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, '.build');
const bin = (name) => join(root, 'node_modules', '.bin', name);

/** Every published package: its folder and whether it runs in browsers (no Node types) or in Node. */
export const PACKAGES = [
  { dir: 'packages/protocol', runtime: 'browser' },
  { dir: 'packages/client', runtime: 'browser' },
  { dir: 'packages/elements', runtime: 'browser' },
  { dir: 'packages/webchat', runtime: 'browser' },
  { dir: 'packages/react', runtime: 'browser' },
  { dir: 'server', runtime: 'node' },
];

const run = (command, args, options = {}) => execFileSync(command, args, { cwd: root, stdio: 'inherit', ...options });
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

async function compile() {
  rmSync(join(build, 'tsc'), { recursive: true, force: true });
  for (const runtime of ['browser', 'node']) {
    const packages = PACKAGES.filter((entry) => entry.runtime === runtime);
    const config = join(build, `tsconfig.${runtime}.json`);
    mkdirSync(build, { recursive: true });
    writeFileSync(
      config,
      JSON.stringify(
        {
          extends: '../tsconfig.json',
          compilerOptions: {
            noEmit: false,
            declaration: true,
            sourceMap: true,
            outDir: './tsc',
            rootDir: '..',
            // Browser packages must not leak Node's types into the declarations hosts read.
            types: runtime === 'node' ? ['node'] : [],
            lib: runtime === 'node' ? ['ES2023'] : ['ES2023', 'DOM', 'DOM.Iterable'],
            noEmitOnError: true,
          },
          include: packages.map((entry) => `../${entry.dir}/src`),
          exclude: ['../**/*.stories.ts', '../**/*.test.ts'],
        },
        null,
        2,
      ),
    );
    run(bin('tsc'), ['-p', config]);
  }
  for (const { dir } of PACKAGES) {
    const dist = join(root, dir, 'dist');
    rmSync(dist, { recursive: true, force: true });
    cpSync(join(build, 'tsc', dir, 'src'), dist, { recursive: true });
  }
  // tsc leaves Lit's `css` and `html` templates as written; their indentation would be bytes every page loads.
  const { minifyCssTemplates, minifyHtmlTemplates } = await tsImport('../packages/webchat/build/widget-plugins.ts', import.meta.url);
  for (const dir of ['packages/elements/dist', 'packages/webchat/dist']) {
    for (const file of filesUnder(join(root, dir)).filter((path) => path.endsWith('.js'))) {
      const code = readFileSync(file, 'utf8');
      const minified = minifyHtmlTemplates(minifyCssTemplates(code, true));
      if (minified !== code) writeFileSync(file, minified);
    }
  }
  // Files the server reads next to its modules.
  cpSync(join(root, 'server/src/channels/demo-photo.png'), join(root, 'server/dist/channels/demo-photo.png'));
}

/** custom-elements.json into the elements and webchat packages, then JSX and Vue declarations from it. */
function manifests() {
  for (const name of ['elements', 'webchat']) {
    run(bin('cem'), ['analyze', '--config', 'custom-elements-manifest.config.mjs'], {
      env: { ...process.env, CHARLA_CEM_PACKAGE: name },
    });
    const manifest = readJson(join(root, `packages/${name}/dist/custom-elements.json`));
    writeFrameworkTypes(join(root, `packages/${name}/dist`), manifest, `@charla/${name}`);
  }
}

/** Elements of a manifest with the module (relative to dist/) that declares their class. */
function elementsOf(manifest) {
  const found = [];
  for (const module of manifest.modules) {
    for (const declaration of module.declarations ?? []) {
      if (declaration.tagName && declaration.customElement) {
        found.push({ tag: declaration.tagName, name: declaration.name, module: module.path, declaration });
      }
    }
  }
  return found.sort((a, b) => a.tag.localeCompare(b.tag));
}

/** An event's type through the global event map its element's module augments (no detail type to import). */
const eventType = (event) => (event.type ? `GlobalEventHandlersEventMap['${event.name}']` : 'CustomEvent');

function writeFrameworkTypes(dist, manifest, packageName) {
  const elements = elementsOf(manifest);
  const moduleOf = (element) =>
    './' + relative(dist, join(dist, element.module.replace(/^packages\/[^/]+\/src\//, ''))).replace(/\.ts$/, '.js');
  const imports = elements.map((element) => `import type { ${element.name} } from '${moduleOf(element)}';`).join('\n');
  const props = (element) => {
    const fields = (element.declaration.members ?? []).filter(
      (member) => member.kind === 'field' && !member.static && member.privacy !== 'private' && member.privacy !== 'protected' && !member.readonly,
    );
    const keys = fields.map((field) => `'${field.name}'`).join(' | ') || 'never';
    return `Partial<Pick<${element.name}, ${keys}>>`;
  };
  const events = (element) =>
    (element.declaration.events ?? [])
      .filter((event) => event.name)
      .map((event) => `        'on${event.name}'?: (event: ${eventType(event)}) => void;`)
      .join('\n');

  writeFileSync(
    join(dist, 'jsx.d.ts'),
    `/**\n * JSX declarations for React 19 and other JSX hosts: \`import type {} from '${packageName}/jsx';\`\n * Events are lowercase \`on<event-name>\` props (React 19 sets them as listeners).\n */\n${imports}\n\ntype CustomElementProps<E, P> = P & {\n  ref?: unknown;\n  key?: string | number;\n  id?: string;\n  class?: string;\n  className?: string;\n  style?: unknown;\n  slot?: string;\n  hidden?: boolean;\n  children?: unknown;\n} & Partial<Omit<import('react').HTMLAttributes<E>, keyof P>>;\n\ndeclare module 'react' {\n  namespace JSX {\n    interface IntrinsicElements {\n${elements
      .map((element) => `      '${element.tag}': CustomElementProps<${element.name}, ${props(element)} & {\n${events(element)}\n      }>;`)
      .join('\n')}\n    }\n  }\n}\n\nexport {};\n`,
  );
  writeFileSync(
    join(dist, 'vue.d.ts'),
    `/**\n * Vue 3 template types: \`import type {} from '${packageName}/vue';\` (and tell Vue's compiler that\n * tags starting with "charla-" are custom elements: \`compilerOptions.isCustomElement\`).\n */\nimport type { DefineComponent } from 'vue';\n${imports}\n\ndeclare module 'vue' {\n  interface GlobalComponents {\n${elements
      .map((element) => {
        const handlers = (element.declaration.events ?? [])
          .filter((event) => event.name)
          .map((event) => `'on${event.name.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase())}'?: (event: ${eventType(event)}) => void`)
          .join('; ');
        return `    '${element.tag}': DefineComponent<${props(element)}${handlers ? ` & { ${handlers} }` : ''}>;`;
      })
      .join('\n')}\n  }\n}\n\nexport {};\n`,
  );
}

/** The prebuilt browser files (`vite build`) that ship inside packages. */
function browserFiles() {
  const widget = join(root, 'dist/widget');
  const elements = join(root, 'dist/elements');
  if (!existsSync(join(widget, 'widget.js')) || !existsSync(join(elements, 'charla-elements.js'))) {
    run('npm', ['run', 'build']);
  }
  cpSync(widget, join(root, 'packages/webchat/dist/browser'), { recursive: true });
  cpSync(elements, join(root, 'packages/elements/dist/browser'), { recursive: true });
}

/** The manifest a host installs: publishConfig applied, development-only fields dropped. */
function publishedManifest(manifest) {
  const { publishConfig = {}, private: _private, devDependencies: _dev, scripts: _scripts, workspaces: _ws, ...rest } = manifest;
  const published = { ...rest, ...publishConfig };
  for (const peer of Object.keys(published.peerDependencies ?? {})) delete published.dependencies?.[peer];
  for (const dropped of published.publishDrop ?? []) delete published.dependencies?.[dropped];
  delete published.publishDrop;
  return published;
}

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function pack() {
  const stage = join(build, 'stage');
  const tarballs = join(build, 'tarballs');
  rmSync(stage, { recursive: true, force: true });
  rmSync(tarballs, { recursive: true, force: true });
  mkdirSync(tarballs, { recursive: true });
  const packed = [];
  for (const { dir } of PACKAGES) {
    const manifest = publishedManifest(readJson(join(root, dir, 'package.json')));
    const target = join(stage, manifest.name.replace('/', '+'));
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const file of manifest.files) {
      if (existsSync(join(root, dir, file))) cpSync(join(root, dir, file), join(target, file), { recursive: true });
    }
    // The server serves the widget's files from public/ beside its dist/.
    if (manifest.name === '@charla/server') cpSync(join(root, 'dist/widget'), join(target, 'public/widget'), { recursive: true });
    for (const file of ['README.md', 'LICENSE']) cpSync(join(root, dir, file), join(target, file));
    const sources = filesUnder(target).filter((path) => /\.(m|c)?tsx?$/.test(path) && !/\.d\.(m|c)?ts$/.test(path));
    if (sources.length > 0) throw new Error(`${manifest.name} would ship TypeScript sources: ${sources.join(', ')}`);
    const output = execFileSync('npm', ['pack', '--json', '--pack-destination', tarballs], { cwd: target, encoding: 'utf8' });
    const [{ filename }] = JSON.parse(output);
    packed.push({ name: manifest.name, tarball: join(tarballs, filename) });
  }
  writeFileSync(join(tarballs, 'index.json'), `${JSON.stringify(packed, null, 2)}\n`);
  for (const entry of packed) console.log(`${entry.name}\t${relative(root, entry.tarball)}`);
}

const command = process.argv[2];
if (command === 'build' || command === 'pack') {
  // `pack --no-build` packs what the last build left in each dist/.
  if (!process.argv.includes('--no-build')) {
    await compile();
    manifests();
    browserFiles();
  }
  if (command === 'pack') pack();
} else if (command) {
  console.error(`Unknown command "${command}": use build or pack`);
  process.exit(2);
}
