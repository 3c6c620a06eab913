/** Builds custom-elements.json from the components' JSDoc, for Storybook's docs and IDEs. */
export default {
  globs: ['packages/elements/src/**/*.component.ts', 'packages/webchat/src/**/*.component.ts'],
  exclude: ['**/*.test.ts', '**/*.stories.ts'],
  outdir: '.',
  litelement: true,
};
