import { expect, fixture, html } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaProvider } from '@charla/elements';

// The agent's token is a credential: it must never stay in the page's markup, where other scripts,
// extensions, server-rendered HTML and DOM snapshots would read it.
describe('charla-provider and its token', () => {
  it('reads a token given as an attribute once, keeps it as a property and removes the attribute', async () => {
    const el = await fixture<CharlaProvider>(html`<charla-provider url="http://127.0.0.1:9" token="agent-token-0123456789"></charla-provider>`);
    expect(el.token).to.equal('agent-token-0123456789');
    expect(el.hasAttribute('token')).to.be.false;
    expect(el.outerHTML).not.to.contain('agent-token-0123456789');
    expect(el.client, 'a client signed in with it').to.exist;
    el.client?.close();
  });

  it('never writes a token set as a property to the DOM, nor one set as an attribute later', async () => {
    const el = await fixture<CharlaProvider>(html`<charla-provider url="http://127.0.0.1:9"></charla-provider>`);
    el.token = 'property-token-0123456789';
    await el.updateComplete;
    expect(el.outerHTML).not.to.contain('property-token');
    el.setAttribute('token', 'later-token-0123456789');
    expect(el.token).to.equal('later-token-0123456789');
    expect(el.getAttribute('token')).to.be.null;
    el.client?.close();
  });
});

describe('charla-provider with a tokenProvider', () => {
  it('creates its client from the host callback alone, which gives it its token', async () => {
    let calls = 0;
    const el = await fixture<CharlaProvider>(html`<charla-provider url="http://127.0.0.1:9"></charla-provider>`);
    expect(el.client, 'no client without credentials').to.be.undefined;
    el.tokenProvider = async () => {
      calls += 1;
      return 'provided-token-0123456789';
    };
    await el.updateComplete;
    expect(el.client, 'a client using the callback').to.exist;
    // Nothing listens there: the request fails, but only after the callback gave it a token.
    await el.client!.fetchApi('/healthz').catch(() => undefined);
    expect(calls).to.equal(1);
    expect(el.outerHTML).not.to.contain('provided-token');
    el.client?.close();
  });
});
