import { expect, waitUntil } from '@open-wc/testing';
import { discover, whenDefined, type CharlaKanban } from '@charla/elements';
import { b2b } from '../fixtures/deals.js';

// This file imports the root entry alone (no fixture registers every view first): what a host
// that writes `import '@charla/elements'` gets.

describe('the root entry', () => {
  it('registers the conversation views at once and the board only once one is in the page', async () => {
    for (const tag of ['charla-provider', 'charla-inbox', 'charla-thread', 'charla-contact-panel', 'charla-timeline', 'charla-workspace']) {
      expect(customElements.get(tag), tag).to.exist;
    }
    expect(customElements.get('charla-kanban'), 'no board in the page yet').to.equal(undefined);

    const board = document.createElement('charla-kanban') as CharlaKanban;
    // Set before the element is upgraded: kept when it is.
    board.pipelines = [b2b];
    board.deals = [];
    board.lang = 'en';
    board.style.height = '400px';
    document.body.append(board);
    try {
      await waitUntil(() => customElements.get('charla-kanban'), 'the board registers once it is in the document');
      await board.updateComplete;
      const columns = board.shadowRoot!.querySelectorAll('[part="column"]');
      expect(columns.length, 'one column per stage of the pipeline set before the upgrade').to.equal(b2b.stages.length);
    } finally {
      board.remove();
    }
  });

  it('registers a view inside a shadow root it cannot see when asked to discover it', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    try {
      const shadow = host.attachShadow({ mode: 'open' });
      shadow.innerHTML = '<charla-companies></charla-companies>';
      // The document is watched, its shadow roots are not: nothing loads by itself.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(customElements.get('charla-companies'), 'not registered before discover()').to.equal(undefined);
      await discover(shadow);
      expect(customElements.get('charla-companies'), 'registered by discover()').to.exist;
      expect(shadow.querySelector('charla-companies')!.shadowRoot, 'the element upgraded in place').to.exist;
    } finally {
      host.remove();
    }
  });

  it('whenDefined() loads a view on request and resolves once it is registered', async () => {
    expect(customElements.get('charla-agenda')).to.equal(undefined);
    await whenDefined('charla-agenda');
    expect(customElements.get('charla-agenda')).to.exist;
  });
});
