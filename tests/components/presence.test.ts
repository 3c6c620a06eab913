import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../fixtures/locales.js';
import type { CharlaPresence } from '@charla/elements';
import { presenceAgents, presenceMap } from '../fixtures/presence.js';

async function presence(lang = 'en', me = 'ag_ana') {
  return fixture<CharlaPresence>(
    html`<charla-presence lang=${lang} me-id=${me} .agents=${presenceAgents} .presence=${{ ...presenceMap }}></charla-presence>`,
  );
}

const rows = (el: CharlaPresence) =>
  [...el.shadowRoot!.querySelectorAll('li')].map((li) => [li.querySelector('.name')!.textContent!.trim(), li.querySelector('.state')!.textContent!.trim()]);

describe('charla-presence', () => {
  it('shows my status and the team, available first, with each status as text', async () => {
    const el = await presence();
    const select = el.shadowRoot!.querySelector('select')!;
    expect(select.value).to.equal('online');
    expect(el.shadowRoot!.querySelector('label')!.textContent).to.equal('My status');
    // Viewers do not take conversations: they are not part of the team list.
    expect(rows(el)).to.deep.equal([
      ['Ana García (you)', 'Available'],
      ['Carla Méndez', 'Available'],
      ['Bruno Costa', 'Away'],
      ['Diego Ruiz', 'Offline'],
    ]);
    expect(el.shadowRoot!.querySelector('h3')!.textContent).to.contain('2 of 4 available');
    await expect(el).to.be.accessible();
  });

  it('going away tells the host, explains what it means, and moves me in the list', async () => {
    const el = await presence();
    const select = el.shadowRoot!.querySelector('select')!;
    select.value = 'away';
    setTimeout(() => select.dispatchEvent(new Event('change')));
    const { detail } = await oneEvent(el, 'charla-presence-change');
    expect(detail).to.deep.equal({ status: 'away' });
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.hint')!.textContent).to.contain('No new conversations are assigned to you');
    expect(select.getAttribute('aria-describedby')).to.equal('hint');
    expect(rows(el)[0]).to.deep.equal(['Carla Méndez', 'Available']);
    expect(rows(el).find(([name]) => name?.startsWith('Ana'))).to.deep.equal(['Ana García (you)', 'Away']);
    await expect(el).to.be.accessible();
  });

  it('speaks Spanish and Portuguese, and can show only the picker', async () => {
    const es = await presence('es');
    expect(rows(es)[2]).to.deep.equal(['Bruno Costa', 'Ausente']);
    expect(es.shadowRoot!.querySelector('h3')!.textContent).to.contain('2 de 4 disponibles');
    const pt = await presence('pt');
    expect(pt.shadowRoot!.querySelector('label')!.textContent).to.equal('Meu status');
    const compact = await fixture<CharlaPresence>(
      html`<charla-presence hide-team me-id="ag_bruno" .agents=${presenceAgents} .presence=${presenceMap}></charla-presence>`,
    );
    expect(compact.shadowRoot!.querySelector('ul')).to.equal(null);
    expect(compact.shadowRoot!.querySelector('select')!.value).to.equal('away');
  });
});
