/**
 * Builds custom-elements.json from the components' JSDoc, for Storybook's docs, IDEs and the
 * published packages (`CHARLA_CEM_PACKAGE=elements|webchat` analyzes one package).
 */
const only = process.env.CHARLA_CEM_PACKAGE;
const packages = only ? [only] : ['elements', 'webchat'];

/** Event detail types, read from the `GlobalEventHandlersEventMap` augmentations beside the elements. */
const eventTypes = new Map();

/** Types events from the global event map, and keeps private and protected members out of the manifest. */
function charlaPlugin() {
  return {
    name: 'charla-public-api',
    analyzePhase({ ts, node }) {
      if (!ts.isInterfaceDeclaration(node) || node.name.text !== 'GlobalEventHandlersEventMap') return;
      for (const member of node.members) {
        if (ts.isPropertySignature(member) && member.type && ts.isStringLiteral(member.name)) {
          eventTypes.set(member.name.text, member.type.getText());
        }
      }
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const module of customElementsManifest.modules) {
        for (const declaration of module.declarations ?? []) {
          if (declaration.kind !== 'class') continue;
          if (declaration.members) {
            declaration.members = declaration.members.filter(
              (member) => member.privacy !== 'private' && member.privacy !== 'protected' && !member.name.startsWith('#') && !member.name.startsWith('_'),
            );
          }
          // `emit(name, …)` in the base class is not an event of its own.
          if (declaration.events) declaration.events = declaration.events.filter((event) => event.name?.startsWith('charla-'));
          for (const event of declaration.events ?? []) {
            const type = eventTypes.get(event.name);
            if (type && !event.type) event.type = { text: type };
          }
        }
      }
    },
  };
}

export default {
  globs: packages.flatMap((name) => [`packages/${name}/src/**/*.component.ts`]).concat(
    packages.includes('elements') ? ['packages/elements/src/base/charla-element.ts', 'packages/elements/src/controllers/client-element.ts'] : [],
  ),
  exclude: ['**/*.test.ts', '**/*.stories.ts'],
  outdir: only ? `packages/${only}/dist` : '.',
  litelement: true,
  packagejson: false,
  plugins: [charlaPlugin()],
};
