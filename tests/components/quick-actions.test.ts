import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import type { CharlaThread } from '@charla/elements';
import type { Conversation } from '@charla/protocol';
import { salesClient } from '../fixtures/sales.js';

// Quick actions a host registers on the client: a button each in the thread's toolbar and a row
// of the composer's `/` menu; what they answer is sent as the agent's reply with its link card.

/** A run the test finishes by hand, to see the thread while it works. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((yes, no) => ((resolve = yes), (reject = no)));
  return { promise, resolve, reject };
}

async function thread() {
  const sales = salesClient();
  const el = await fixture<CharlaThread>(html`<charla-thread lang="en" conversation-id="cv_1" style="width: 720px; height: 700px" .client=${sales.client}></charla-thread>`);
  await waitUntil(() => el.shadowRoot!.querySelector('[part="actions"]'), 'the toolbar shows');
  return { el, ...sales };
}

const root = (el: CharlaThread) => el.shadowRoot!;
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
const button = (el: CharlaThread, id: string) => root(el).querySelector<HTMLButtonElement>(`[data-quick-action="${id}"]`);
const options = (el: CharlaThread) => [...root(el).querySelectorAll('[part="suggestions"] [role="option"]')].map(text);
const linkCards = (el: CharlaThread) => [...root(el).querySelectorAll<HTMLAnchorElement>('a[part="link-card"]')];

async function type(el: CharlaThread, value: string) {
  const textarea = root(el).querySelector('textarea')!;
  textarea.focus();
  textarea.value = value;
  textarea.setSelectionRange(value.length, value.length);
  textarea.dispatchEvent(new InputEvent('input'));
  await el.updateComplete;
  return textarea;
}

describe('quick actions in charla-thread', () => {
  it('shows a registered action in the toolbar, busy while it runs, then sends its link in the thread', async () => {
    const { el, client } = await thread();
    expect(button(el, 'payment-link'), 'nothing before it is registered').to.be.null;
    const run = deferred<{ message: { body: string; link: { title: string; url: string } } }>();
    const seen: Conversation[] = [];
    client.registerAction({ id: 'payment-link', label: 'Payment link', icon: '💳', run: (conversation) => (seen.push(conversation), run.promise) });
    await waitUntil(() => button(el, 'payment-link'), 'the button shows');
    expect(text(button(el, 'payment-link')!)).to.equal('💳 Payment link');
    expect(client.actions().map((action) => action.id)).to.deep.equal(['payment-link']);

    button(el, 'payment-link')!.click();
    await waitUntil(() => button(el, 'payment-link')!.disabled, 'busy while it runs');
    expect(button(el, 'payment-link')!.getAttribute('aria-busy')).to.equal('true');
    expect(text(button(el, 'payment-link')!)).to.equal('💳 Payment link: working…');
    expect(seen.map((conversation) => conversation.id), 'run gets the open conversation').to.deep.equal(['cv_1']);
    button(el, 'payment-link')!.click();
    expect(seen.length, 'a second click while it runs does nothing').to.equal(1);

    run.resolve({ message: { body: 'Tu link de pago: https://pay.example.test/pl_1', link: { title: 'Pagar $1,500.00', url: 'https://pay.example.test/pl_1' } } });
    await waitUntil(() => linkCards(el).length === 1, 'the reply shows with its card');
    const [card] = linkCards(el);
    expect(card!.href).to.equal('https://pay.example.test/pl_1');
    expect(card!.target).to.equal('_blank');
    expect(text(card!.querySelector('strong')!)).to.equal('Pagar $1,500.00');
    expect(card!.querySelector('strong svg'), 'a link icon that needs no emoji font').to.exist;
    expect(text(card!.querySelector('.muted')!)).to.equal('https://pay.example.test/pl_1');
    expect(text(card!.closest('[part~="bubble"]')!)).to.contain('Tu link de pago:');
    expect(button(el, 'payment-link')!.disabled, 'idle again').to.be.false;
  });

  it('says why when run rejects, sends nothing, and the error can be dismissed', async () => {
    const { el, client } = await thread();
    client.registerAction({ id: 'fail', label: 'Invoice', run: () => Promise.reject(new Error('The billing service is down')) });
    await waitUntil(() => button(el, 'fail'), 'the button shows');
    const before = root(el).querySelectorAll('[part~="message"]').length;
    button(el, 'fail')!.click();
    await waitUntil(() => root(el).querySelector('[data-quick-action-error="fail"]'), 'the error shows');
    const error = root(el).querySelector('[data-quick-action-error="fail"]')!;
    expect(error.getAttribute('role')).to.equal('alert');
    expect(text(error)).to.contain('“Invoice” failed: The billing service is down. Nothing was sent.');
    expect(root(el).querySelectorAll('[part~="message"]').length, 'nothing was sent').to.equal(before);
    expect(client.actionState('fail', 'cv_1')).to.deep.equal({ running: false, error: 'The billing service is down' });
    error.querySelector('button')!.click();
    await waitUntil(() => !root(el).querySelector('[data-quick-action-error="fail"]'), 'dismissed');

    // A link that is not http(s) is refused the same way.
    client.registerAction({ id: 'bad-link', label: 'Bad', run: async () => ({ message: { link: { title: 'x', url: 'javascript:alert(1)' } } }) });
    await waitUntil(() => button(el, 'bad-link'), 'the button shows');
    button(el, 'bad-link')!.click();
    await waitUntil(() => root(el).querySelector('[data-quick-action-error="bad-link"]'), 'refused');
    expect(root(el).querySelectorAll('[part~="message"]').length).to.equal(before);
  });

  it('lists actions first in the "/" menu: arrows move, Escape closes, Enter runs the action and clears the "/"', async () => {
    const { el, client } = await thread();
    const runs: string[] = [];
    client.registerAction({ id: 'payment-link', label: 'Payment link', icon: '💳', run: async (c) => (runs.push(`pay:${c.id}`), { message: 'Link: https://pay.example.test/2' }) });
    client.registerAction({ id: 'catalog', label: 'Send catalog', run: async (c) => (runs.push(`catalog:${c.id}`), {}) });
    await waitUntil(() => button(el, 'catalog'), 'both show');

    const textarea = await type(el, '/');
    const list = root(el).querySelector('[part="suggestions"]')!;
    expect(list.getAttribute('role')).to.equal('listbox');
    expect(list.getAttribute('aria-label')).to.equal('Quick actions and canned responses');
    expect(options(el)).to.deep.equal(['💳 Payment link Quick action', 'Send catalog Quick action']);
    expect(textarea.getAttribute('aria-activedescendant')).to.equal('suggestion-0');
    expect(root(el).querySelector('#suggestion-0')!.getAttribute('aria-selected')).to.equal('true');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(textarea.getAttribute('aria-activedescendant')).to.equal('suggestion-1');
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(textarea.getAttribute('aria-activedescendant'), 'wraps').to.equal('suggestion-0');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(list.hasAttribute('hidden'), 'Escape closes the menu').to.be.true;
    expect(runs).to.deep.equal([]);

    await type(el, '/cat');
    expect(options(el)).to.deep.equal(['Send catalog Quick action']);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => runs.length === 1, 'Enter runs it');
    expect(runs).to.deep.equal(['catalog:cv_1']);
    expect(textarea.value, 'the "/" word goes').to.equal('');
    expect(list.hasAttribute('hidden')).to.be.true;

    // Notes go to the team only: the menu offers no action there.
    [...root(el).querySelectorAll<HTMLButtonElement>('.modes button')].find((b) => text(b) === 'Note')!.click();
    await el.updateComplete;
    await type(el, '/');
    expect(options(el)).to.deep.equal([]);
  });

  it('unregistering removes the button and the menu row', async () => {
    const { el, client } = await thread();
    const remove = client.registerAction({ id: 'payment-link', label: 'Payment link', run: async () => ({}) });
    await waitUntil(() => button(el, 'payment-link'), 'the button shows');
    remove();
    await waitUntil(() => !button(el, 'payment-link'), 'the button goes');
    await type(el, '/');
    expect(options(el)).to.deep.equal([]);
    client.registerAction({ id: 'again', label: 'Again', run: async () => ({}) });
    expect(client.unregisterAction('again')).to.equal(true);
    expect(client.unregisterAction('again')).to.equal(false);
    expect(() => client.registerAction({ id: '', label: 'x', run: async () => ({}) })).to.throw(/id, a label and a run/);
  });
});
