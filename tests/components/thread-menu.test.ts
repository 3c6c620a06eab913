import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import type { CharlaThread } from '@charla/elements';
import { salesClient } from '../fixtures/sales.js';

/** A thread with a client, `width` wide: 560 px is its column in a 1440 px admin. */
async function thread(width: number) {
  const sales = salesClient();
  (sales.client.session as unknown as { teams: unknown[] }).teams = [{ id: 'tm_sales', name: 'Ventas' }, { id: 'tm_support', name: 'Soporte' }];
  const el = await fixture<CharlaThread>(html`<charla-thread lang="en" conversation-id="cv_1" style="width: ${width}px; height: 700px" .client=${sales.client}></charla-thread>`);
  await waitUntil(() => more(el) !== null, 'the actions show');
  return { el, ...sales };
}

const root = (el: CharlaThread) => el.shadowRoot!;
const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
/** A menu item's name, without the check mark of the chosen one. */
const item = (node: Element) => text(node).replace(/^✓\s*/, '');
const more = (el: CharlaThread) => root(el).querySelector<HTMLButtonElement>('[part="more-button"]');
const menu = (el: CharlaThread) => root(el).querySelector<HTMLElement>('[role="menu"]')!;
const focused = (el: CharlaThread) => root(el).activeElement as HTMLElement | null;

describe('charla-thread actions', () => {
  afterEach(() => setViewport({ width: 1280, height: 800 }));

  it('keeps assign, claim, the deal and resolve in sight at 1440 px (a 520 px column), each row whole; the rest behind "More"', async () => {
    await setViewport({ width: 1440, height: 900 });
    const { el } = await thread(520);
    await waitUntil(() => root(el).querySelector('[data-action="edit-deal"]'), 'the conversation\'s deal shows');
    const controls = [...root(el).querySelectorAll<HTMLElement>('[part="actions"] > select, [part="actions"] > button, [part="actions"] > .menu-wrap > button')];
    expect(controls.map((control) => control.getAttribute('aria-label') ?? text(control))).to.deep.equal([
      'Assignee', 'Claim', 'No amount: Add an amount to “20 tazas azules”', 'More conversation actions', 'Resolve',
    ]);
    const middle = (node: Element) => {
      const box = node.getBoundingClientRect();
      return box.top + box.height / 2;
    };
    // Resolve beside the contact's name; the other actions together on the row below, none wrapped.
    const resolve = controls.at(-1)!;
    const name = root(el).querySelector('.who')!;
    expect(resolve.getBoundingClientRect().top).to.be.below(name.getBoundingClientRect().bottom);
    const rest = controls.slice(0, -1).map(middle);
    expect(Math.max(...rest) - Math.min(...rest), 'one row').to.be.below(4);
    expect(Math.min(...rest)).to.be.above(name.getBoundingClientRect().bottom);
    const header = root(el).querySelector<HTMLElement>('[part="header"]')!;
    expect(header.scrollWidth).to.be.at.most(header.clientWidth);
    expect(more(el)!.getAttribute('aria-haspopup')).to.equal('menu');
    expect(menu(el).hidden).to.be.true;
    const items = [...menu(el).querySelectorAll('[role^="menuitem"]')].map(item);
    expect(items).to.deep.equal(['No priority', 'Low priority', 'Medium priority', 'High priority', 'Urgent', 'No team', 'Ventas', 'Soporte', 'Snooze…', 'New deal…', 'New task…']);
  });

  it('opens with the keyboard, moves with the arrows, Home and End, and Escape returns focus to the button', async () => {
    const { el } = await thread(560);
    more(el)!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await waitUntil(() => !menu(el).hidden);
    expect(more(el)!.getAttribute('aria-expanded')).to.equal('true');
    expect(item(focused(el)!)).to.equal('No priority');
    expect(focused(el)!.getAttribute('aria-checked')).to.equal('true');
    await sendKeys({ press: 'ArrowDown' });
    expect(item(focused(el)!)).to.equal('Low priority');
    await sendKeys({ press: 'End' });
    expect(item(focused(el)!)).to.equal('New task…');
    await sendKeys({ press: 'ArrowDown' });
    expect(item(focused(el)!), 'wraps to the first').to.equal('No priority');
    await sendKeys({ press: 'ArrowUp' });
    expect(item(focused(el)!), 'wraps to the last').to.equal('New task…');
    await sendKeys({ press: 'Home' });
    expect(item(focused(el)!)).to.equal('No priority');

    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(menu(el).hidden).to.be.true;
    expect(more(el)!.getAttribute('aria-expanded')).to.equal('false');
    expect(focused(el)).to.equal(more(el));

    // ArrowUp opens it on its last item.
    await sendKeys({ press: 'ArrowUp' });
    await waitUntil(() => !menu(el).hidden);
    expect(item(focused(el)!)).to.equal('New task…');
    // Tab leaves and closes it.
    await sendKeys({ press: 'Tab' });
    await el.updateComplete;
    expect(menu(el).hidden).to.be.true;
  });

  it('sets the priority and the team from the menu, then gives focus back to "More"', async () => {
    const { el, calls } = await thread(560);
    more(el)!.focus();
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !menu(el).hidden);
    for (let i = 0; i < 4; i += 1) await sendKeys({ press: 'ArrowDown' });
    expect(item(focused(el)!)).to.equal('Urgent');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => calls.some((call) => call.name === 'conversation.update'));
    expect(calls.find((call) => call.name === 'conversation.update')!.payload).to.deep.include({ conversationId: 'cv_1', priority: 'urgent' });
    await el.updateComplete;
    expect(menu(el).hidden).to.be.true;
    expect(focused(el)).to.equal(more(el));

    more(el)!.click();
    await waitUntil(() => !menu(el).hidden);
    root(el).querySelector<HTMLElement>('[role="group"][aria-label="Team"] [role="menuitemradio"]:nth-of-type(2)')!.click();
    await waitUntil(() => calls.filter((call) => call.name === 'conversation.update').length === 2);
    expect(calls.filter((call) => call.name === 'conversation.update')[1]!.payload).to.deep.include({ teamId: 'tm_sales' });
  });

  it('"Snooze…" opens the snooze times with focus on the first; Escape closes them and returns to "More"', async () => {
    const { el } = await thread(560);
    more(el)!.focus();
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    await sendKeys({ press: 'ArrowUp' });
    expect(item(focused(el)!)).to.equal('Snooze…');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => root(el).querySelector('[part="snooze-menu"]'));
    expect(item(focused(el)!)).to.equal('For 1 hour');
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(root(el).querySelector('[part="snooze-menu"]')).to.equal(null);
    expect(focused(el)).to.equal(more(el));
  });

  it('fits its header in a phone (390 px), the menu inside the screen', async () => {
    await setViewport({ width: 390, height: 844 });
    const { el } = await thread(390);
    const header = root(el).querySelector<HTMLElement>('[part="header"]')!;
    expect(header.scrollWidth).to.be.at.most(header.clientWidth);
    for (const control of root(el).querySelectorAll('[part="actions"] > *')) {
      expect(control.getBoundingClientRect().right).to.be.at.most(390);
    }
    more(el)!.click();
    await waitUntil(() => !menu(el).hidden);
    const box = menu(el).getBoundingClientRect();
    expect(box.left).to.be.at.least(0);
    expect(box.right).to.be.at.most(390);
    await expect(el).to.be.accessible();
  });
});
