import { resolve } from 'node:path';
import { defineConfig, type UserConfig } from 'vite';
import { lightTransports, minifyLitTemplates } from './packages/webchat/build/widget-plugins.js';

const root = import.meta.dirname;
const serverUrl = process.env.CHARLA_DEV_SERVER ?? 'http://localhost:3000';

/**
 * Builds (all into dist/):
 * - default: the demo pages (admin panel + sample shop), bundling the agent components
 * - `--mode lib`: @charla/elements as one ES module for hosts that load it from a CDN
 * - `--mode widget-loader`: the tiny classic-script loader served as /widget.js
 * - `--mode widget-panel`: the chat panel the loader imports when the visitor opens the chat
 */
export default defineConfig(({ mode }): UserConfig => {
  const widget = (entry: string, fileName: string, format: 'iife' | 'es'): UserConfig => ({
    publicDir: false,
    plugins: [minifyLitTemplates(/packages\/webchat\/src\/.*\.ts$/), lightTransports()],
    build: {
      outDir: resolve(root, 'dist/widget'),
      emptyOutDir: false,
      target: 'es2022',
      sourcemap: true,
      lib: { entry: resolve(root, entry), formats: [format], name: 'CharlaWidget', fileName: () => fileName },
      // Library mode leaves ES output only partly minified; the widget's size budget needs all of it.
      rolldownOptions: { output: { minify: true } },
    },
  });

  switch (mode) {
    case 'widget-loader':
      return widget('packages/webchat/src/loader.ts', 'widget.js', 'iife');
    case 'widget-panel':
      return widget('packages/webchat/src/panel.ts', 'widget-panel.js', 'es');
    case 'lib':
      return {
        publicDir: false,
        // Hosts load this file as-is: settle the development switches of bundled libraries now.
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        build: {
          outDir: resolve(root, 'dist/elements'),
          emptyOutDir: true,
          sourcemap: true,
          lib: { entry: resolve(root, 'packages/elements/src/index.ts'), formats: ['es'], fileName: () => 'charla-elements.js' },
        },
      };
    default:
      return {
        root: resolve(root, 'demo'),
        publicDir: false,
        build: {
          outDir: resolve(root, 'dist/demo'),
          emptyOutDir: true,
          sourcemap: true,
          rollupOptions: {
            input: {
              index: resolve(root, 'demo/index.html'),
              admin: resolve(root, 'demo/admin.html'),
              shop: resolve(root, 'demo/shop.html'),
              simulator: resolve(root, 'demo/simulator.html'),
            },
          },
        },
        // `npx vite` serves the demo with hot reload against a running Charla server.
        server: {
          proxy: {
            '/socket.io': { target: serverUrl, ws: true },
            '/api': serverUrl,
            '/demo/config.json': serverUrl,
            '/demo/simulator.json': serverUrl,
            '/demo/graph-outbox': serverUrl,
            '/webhooks': serverUrl,
            '/widget.js': serverUrl,
            '/widget-panel.js': serverUrl,
          },
        },
      };
  }
});
