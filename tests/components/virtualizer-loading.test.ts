import { expect, html, nextFrame, oneEvent, waitUntil } from '@open-wc/testing';
import { render, type TemplateResult } from 'lit';
import { executeServerCommand } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import type { CharlaInbox, CharlaThread, CharlaTimeline } from '@charla/elements';
import { PLAIN_LIST_ROWS } from '../../packages/elements/src/controllers/virtualizer-controller.js';
import type { TimelineItem } from '@charla/protocol';
import { contact, conversation, message, minutesAgo } from '../fixtures/entities.js';

/**
 * The inbox, thread and timeline load @tanstack/virtual-core on demand. Here its request is held
 * (as on a slow network) while the lists are used, then let through: the lists work before it has
 * arrived and after, and nothing moves when it takes over.
 */
const served = async () => ((await executeServerCommand('hold-virtualizer', {})) as { served: number }).served;
let servedBefore = 0;
const virtualCoreLoaded = async () => (await served()) > servedBefore;

const contacts = Array.from({ length: 200 }, (_, index) => contact({ id: `ct_${index}`, name: `Contact ${index}` }));
const conversations = contacts.map((person, index) =>
  conversation({ id: `cv_${index}`, contactId: person.id, lastMessagePreview: `Preview ${index}`, lastMessageAt: minutesAgo(index) }),
);
const messages = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, offset) => {
    const index = from + offset;
    // Bodies of different lengths: rows of different heights, measured as they are drawn.
    return message({ id: `msg_${index}`, body: `Message ${index} ${'word '.repeat((index % 7) * 12)}`, createdAt: minutesAgo(2000 - index) });
  });
const timelineItems: TimelineItem[] = Array.from({ length: 150 }, (_, index) => ({
  id: `note:${index}`, kind: 'note', at: minutesAgo(index), contactId: 'ct_0', conversationId: null, dealId: null, taskId: null,
  text: `Note ${index}`, channel: null, amount: null, currency: null, rule: null, actor: 'Ana', status: null,
}));

const options = (el: HTMLElement) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="option"]')];
const list = (el: HTMLElement) => el.shadowRoot!.querySelector<HTMLElement>('[part="list"]')!;
const log = (el: HTMLElement) => el.shadowRoot!.querySelector<HTMLElement>('[part="log"]')!;
const press = (target: HTMLElement, key: string) => target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true }));
/** Screen position of each shown row, by its id. */
const positions = (rows: HTMLElement[]) => new Map(rows.map((row) => [row.id || row.dataset.index!, Math.round(row.getBoundingClientRect().top)]));
/** The lists stay on the page from one test to the next (a fixture is removed after its test). */
const page = document.createElement('div');
async function mount<T extends HTMLElement>(template: TemplateResult): Promise<T> {
  const holder = document.createElement('div');
  page.append(holder);
  render(template, holder);
  const element = holder.firstElementChild as T & { updateComplete: Promise<unknown> };
  await element.updateComplete;
  return element;
}
const frames = async (count: number) => {
  for (let frame = 0; frame < count; frame++) await nextFrame();
};

describe('lists before and after the virtualizer loads', () => {
  let inbox: CharlaInbox;
  let thread: CharlaThread;
  let timeline: CharlaTimeline;

  before(async () => {
    document.body.append(page);
    await executeServerCommand('hold-virtualizer', { hold: true });
    servedBefore = await served();
  });

  after(async () => {
    page.remove();
    await executeServerCommand('hold-virtualizer', { hold: false });
  });

  it('the inbox lists, scrolls and navigates by keyboard before the virtualizer has arrived', async () => {
    expect(await virtualCoreLoaded(), 'nothing loaded the virtualizer up front').to.be.false;
    inbox = await mount<CharlaInbox>(html`<charla-inbox lang="en" style="height: 500px" .conversations=${conversations} .contacts=${contacts}></charla-inbox>`);
    await waitUntil(() => options(inbox).length > 0, 'the first rows are drawn');
    expect(options(inbox).length, 'the rows around the viewport, not all 200').to.be.within(6, PLAIN_LIST_ROWS);
    expect(options(inbox)[0]!.textContent).to.contain('Contact 0');
    expect(await virtualCoreLoaded(), 'the virtualizer is still on its way').to.be.false;

    // Keyboard: the first key lands on the first row, End goes to the last one and scrolls to it.
    const box = list(inbox);
    box.focus();
    // Without a focus event (headless), the first key lands on the first row.
    await inbox.updateComplete;
    if (!box.hasAttribute('aria-activedescendant')) press(box, 'ArrowDown');
    await waitUntil(() => box.getAttribute('aria-activedescendant') === 'row-cv_0', 'the first row is active');
    press(box, 'ArrowDown');
    await waitUntil(() => box.getAttribute('aria-activedescendant') === 'row-cv_1', 'the second row is active');
    press(box, 'End');
    await waitUntil(() => inbox.shadowRoot!.querySelector('#row-cv_199'), 'the last row is drawn');
    expect(box.scrollTop, 'the list scrolled to the last row').to.be.greaterThan(0);
    const last = inbox.shadowRoot!.querySelector<HTMLElement>('#row-cv_199')!.getBoundingClientRect();
    const view = box.getBoundingClientRect();
    expect(last.bottom, 'the last row is in view').to.be.at.most(view.bottom + 1);
    expect(box.getAttribute('aria-activedescendant')).to.equal('row-cv_199');

    // Scrolling by hand draws the rows that come into view.
    box.scrollTop = 84 * 100;
    await waitUntil(() => inbox.shadowRoot!.querySelector('#row-cv_100'), 'the rows in view are drawn');
    expect(options(inbox).length).to.be.at.most(PLAIN_LIST_ROWS);

    // A click selects.
    const selected = oneEvent(inbox, 'charla-conversation-select');
    inbox.shadowRoot!.querySelector<HTMLElement>('#row-cv_101')!.click();
    expect((await selected).detail.conversationId).to.equal('cv_101');
  });

  it('the thread opens on its latest message and keeps the reading position when older messages come', async () => {
    thread = await mount<CharlaThread>(html`<charla-thread
      lang="en" style="height: 500px" conversation-id="cv_1" .conversation=${conversation()} .contact=${contact()}
      .messages=${messages(100, 160)}
    ></charla-thread>`);
    const history = log(thread);
    await waitUntil(() => thread.shadowRoot!.querySelector('[data-index] [part~="message"]'), 'messages are drawn');
    await waitUntil(() => history.scrollHeight - history.scrollTop - history.clientHeight <= 2, 'at the latest message');
    await frames(3);
    expect(history.scrollHeight - history.scrollTop - history.clientHeight, 'still at the end once every row is measured').to.be.at.most(2);
    const latest = [...thread.shadowRoot!.querySelectorAll<HTMLElement>('[part~="message"]')].at(-1)!;
    expect(latest.textContent).to.contain('Message 159');
    expect(await virtualCoreLoaded(), 'the virtualizer is still on its way').to.be.false;

    // Rows do not overlap: each starts where the one above ends.
    const rows = [...history.querySelectorAll<HTMLElement>('.row')].sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index));
    for (let index = 1; index < rows.length; index++) {
      expect(Math.abs(rows[index]!.getBoundingClientRect().top - rows[index - 1]!.getBoundingClientRect().bottom), 'rows stack').to.be.below(2);
    }

    // Older messages arrive above (what "load older" does, near the top): the message read stays where it was.
    history.scrollTop = 0;
    await waitUntil(() => history.querySelector('.row[data-index="0"]'), 'the top is drawn');
    history.scrollTop = 60;
    await frames(3);
    const top = history.getBoundingClientRect().top;
    const read = [...history.querySelectorAll<HTMLElement>('.row')]
      .sort((a, b) => Number(a.dataset.index) - Number(b.dataset.index))
      .find((row) => row.getBoundingClientRect().bottom > top && /Message \d+/.test(row.textContent!))!;
    const readKey = read.textContent!.match(/Message \d+/)![0];
    const before = read.getBoundingClientRect().top;
    thread.messages = [...messages(40, 100), ...messages(100, 160)];
    await thread.updateComplete;
    await frames(3);
    const same = [...history.querySelectorAll<HTMLElement>('.row')].find((row) => row.textContent!.match(/Message \d+/)?.[0] === readKey);
    expect(same, 'the message read is still drawn').to.exist;
    expect(Math.abs(same!.getBoundingClientRect().top - before), 'the message read did not move').to.be.below(2);
    expect(history.scrollTop, 'the older messages are above').to.be.greaterThan(0);
  });

  it('the timeline moves through its items by keyboard before the virtualizer has arrived', async () => {
    timeline = await mount<CharlaTimeline>(html`<charla-timeline lang="en" style="height: 500px" .items=${timelineItems}></charla-timeline>`);
    await waitUntil(() => timeline.shadowRoot!.querySelector('article[data-index="0"]'), 'the first items are drawn');
    const articles = () => [...timeline.shadowRoot!.querySelectorAll<HTMLElement>('article')];
    expect(articles().length, 'the items around the viewport, not all 150').to.be.within(3, PLAIN_LIST_ROWS);
    const first = articles().find((article) => article.dataset.index === '0')!;
    first.focus();
    for (let step = 0; step < 12; step++) {
      press(timeline.shadowRoot!.activeElement as HTMLElement, 'ArrowDown');
      const next = String(step + 1);
      await waitUntil(() => (timeline.shadowRoot!.activeElement as HTMLElement | null)?.dataset.index === next, `item ${next} has focus`);
    }
    expect(await virtualCoreLoaded(), 'the virtualizer is still on its way').to.be.false;
  });

  it('when the virtualizer arrives it takes over where the lists stand, and they keep working', async () => {
    const inboxBox = list(inbox);
    const history = log(thread);
    const inboxBefore = { top: inboxBox.scrollTop, rows: positions(options(inbox)) };
    const threadBefore = { top: history.scrollTop, height: history.scrollHeight, rows: positions([...history.querySelectorAll<HTMLElement>('.row')]) };

    await executeServerCommand('hold-virtualizer', { hold: false });
    for (let wait = 0; !(await virtualCoreLoaded()) && wait < 100; wait++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await virtualCoreLoaded(), 'the virtualizer loaded').to.be.true;
    await frames(4);
    await inbox.updateComplete;

    // Same scroll positions, and every row drawn both before and after is where it was.
    expect(Math.abs(inboxBox.scrollTop - inboxBefore.top), 'the inbox did not scroll').to.be.below(2);
    expect(Math.abs(history.scrollTop - threadBefore.top), `the thread did not scroll (${threadBefore.top} → ${history.scrollTop} of ${threadBefore.height} → ${history.scrollHeight})`).to.be.below(2);
    let compared = 0;
    for (const [id, top] of positions(options(inbox))) {
      const was = inboxBefore.rows.get(id);
      if (was === undefined) continue;
      compared++;
      expect(Math.abs(top - was), `inbox row ${id} did not move`).to.be.below(2);
    }
    for (const [index, top] of positions([...history.querySelectorAll<HTMLElement>('.row')])) {
      const was = threadBefore.rows.get(index);
      if (was === undefined) continue;
      compared++;
      expect(Math.abs(top - was), `thread row ${index} did not move`).to.be.below(2);
    }
    expect(compared, 'rows were compared').to.be.greaterThan(5);

    // The virtualizer draws the rows in view (and its overscan), still at most a screenful or so.
    expect(options(inbox).length).to.be.within(1, 20);
    expect(options(inbox)[0]!.id).to.not.equal('row-cv_0');

    // Keyboard navigation goes on from the active row.
    press(inboxBox, 'Home');
    await waitUntil(() => inbox.shadowRoot!.querySelector('#row-cv_0'), 'the first row is drawn again');
    expect(inboxBox.getAttribute('aria-activedescendant')).to.equal('row-cv_0');
    expect(inboxBox.scrollTop).to.equal(0);
    press(inboxBox, 'ArrowDown');
    await waitUntil(() => inboxBox.getAttribute('aria-activedescendant') === 'row-cv_1', 'the next row is active');

    // The thread goes on following: a new message at the end, and the jump to the latest.
    history.scrollTop = history.scrollHeight;
    await frames(2);
    thread.messages = [...thread.messages, message({ id: 'msg_new', body: 'The newest one', createdAt: minutesAgo(0) })];
    await waitUntil(() => history.textContent!.includes('The newest one'), 'the new message is drawn');

    // The timeline still moves by keyboard.
    const active = timeline.shadowRoot!.activeElement as HTMLElement;
    press(active, 'ArrowDown');
    await waitUntil(() => (timeline.shadowRoot!.activeElement as HTMLElement | null)?.dataset.index === '13', 'the next item has focus');
  });
});
