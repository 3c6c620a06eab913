import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys, setViewport } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import { tokensCss, type CharlaWorkspace } from '@charla/elements';
import { agent, contact, conversation, message } from '../fixtures/entities.js';

const maria = contact({ id: 'ct_maria', name: 'María López' });
const chat = conversation({ id: 'cv_1', contactId: 'ct_maria', lastMessagePreview: 'Hola, ¿cuánto cuesta el envío?' });

/** The workspace as a host composes it, filling the page like an admin panel's main area. */
async function workspace(): Promise<CharlaWorkspace> {
  const el = await fixture<CharlaWorkspace>(html`<charla-workspace lang="en" style="position: fixed; inset: 0">
    <charla-inbox slot="inbox" .conversations=${[chat]} .contacts=${[maria]} .agents=${[agent()]}></charla-inbox>
    <charla-thread slot="thread" .conversation=${chat} .contact=${maria}
      .messages=${[message({ id: 'm1', conversationId: 'cv_1', body: 'Hola, ¿cuánto cuesta el envío?' })]}></charla-thread>
    <charla-contact-panel slot="panel" .contact=${maria}></charla-contact-panel>
  </charla-workspace>`);
  // The inbox selects what the user picks; the host would also point the thread at it.
  el.querySelector('charla-inbox')!.addEventListener('charla-conversation-select', (event) => {
    el.querySelector('charla-inbox')!.selected = event.detail.conversationId;
  });
  await waitUntil(() => row(el) !== null);
  return el;
}

const part = (el: CharlaWorkspace, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part="${name}"]`)!;
const shown = (node: Element) => node.checkVisibility({ visibilityProperty: true }) && node.getBoundingClientRect().width > 0;
const visiblePanes = (el: CharlaWorkspace) => ['inbox', 'thread', 'panel'].filter((name) => shown(part(el, name)));
const list = (el: CharlaWorkspace) => el.querySelector('charla-inbox')!.shadowRoot!.querySelector<HTMLElement>('[role="listbox"]')!;
const row = (el: CharlaWorkspace) => el.querySelector('charla-inbox')!.shadowRoot!.querySelector<HTMLElement>('[role="option"]');
async function altLeft(): Promise<void> {
  await sendKeys({ down: 'Alt' });
  await sendKeys({ press: 'ArrowLeft' });
  await sendKeys({ up: 'Alt' });
}
/** The focused element, inside shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('charla-workspace', () => {
  afterEach(() => setViewport({ width: 1280, height: 800 }));

  describe('on a phone (390 × 844)', () => {
    beforeEach(() => setViewport({ width: 390, height: 844 }));

    it('keeps the composer above the on-screen keyboard, and ignores a pinch-zoom', async () => {
      // Headless Chromium has no on-screen keyboard, and DevTools can shrink the visual viewport only
      // by zooming: the keyboard is a stand-in visualViewport, cut short as a phone's keyboard cuts it.
      const real = Object.getOwnPropertyDescriptor(window, 'visualViewport');
      const keyboard = Object.assign(new EventTarget(), { height: 844, offsetTop: 0, scale: 1 });
      Object.defineProperty(window, 'visualViewport', { configurable: true, value: keyboard });
      try {
        const el = await workspace();
        await waitUntil(() => el.layout === 'narrow');
        row(el)!.click();
        await el.updateComplete;
        const textarea = () => el.querySelector('charla-thread')!.shadowRoot!.querySelector('textarea')!.getBoundingClientRect();
        expect(textarea().bottom, 'the composer sits at the bottom of the screen').to.be.greaterThan(844 - 120);

        keyboard.height = 844 - 330;
        keyboard.dispatchEvent(new Event('resize'));
        await waitUntil(() => textarea().bottom <= 844 - 330 + 0.5, 'the composer rises above the keyboard');
        expect(textarea().top, 'the composer is still on the screen').to.be.greaterThan(0);
        expect(el.querySelector('charla-thread')!.shadowRoot!.querySelector('[role="log"]')!.getBoundingClientRect().height, 'messages still show above it').to.be.greaterThan(0);

        // Zoomed in (no keyboard): the visual viewport is as short, but nothing is lifted.
        Object.assign(keyboard, { height: 844 / 1.5, scale: 1.5 });
        keyboard.dispatchEvent(new Event('resize'));
        await waitUntil(() => textarea().bottom > 844 - 120, 'the composer goes back to the bottom');

        Object.assign(keyboard, { height: 844, scale: 1 });
        keyboard.dispatchEvent(new Event('resize'));
        el.remove();
      } finally {
        if (real) Object.defineProperty(window, 'visualViewport', real);
        else delete (window as { visualViewport?: unknown }).visualViewport;
      }
    });

    it('shows one pane at a time: inbox → thread → contact sheet, and back with the buttons', async () => {
      const el = await workspace();
      await waitUntil(() => el.layout === 'narrow');
      expect(visiblePanes(el)).to.deep.equal(['inbox']);

      list(el).focus();
      const paneChange = oneEvent(el, 'charla-pane-change');
      row(el)!.click();
      expect((await paneChange).detail.pane).to.equal('thread');
      await el.updateComplete;
      expect(visiblePanes(el)).to.deep.equal(['thread']);
      expect(part(el, 'thread').getBoundingClientRect().width).to.equal(390);
      // The row that had focus is hidden: focus lands on the labelled back control.
      await waitUntil(() => focused() === part(el, 'back'));
      expect(part(el, 'back').getAttribute('aria-label')).to.equal('Back to the conversations');
      expect(shown(el.querySelector('charla-thread')!.shadowRoot!.querySelector('textarea')!)).to.be.true;

      part(el, 'contact-toggle').click();
      await el.updateComplete;
      expect(el.pane).to.equal('panel');
      const sheet = part(el, 'panel');
      await waitUntil(() => sheet.getBoundingClientRect().top < 100, 'the sheet rises over the thread');
      expect(sheet.getAttribute('role')).to.equal('dialog');
      expect(sheet.getAttribute('aria-modal')).to.equal('true');
      expect(part(el, 'thread').inert, 'the thread behind the sheet is inert').to.be.true;
      expect(shown(el.querySelector('charla-contact-panel')!)).to.be.true;
      await waitUntil(() => focused() === part(el, 'close'));

      part(el, 'close').click();
      await el.updateComplete;
      expect(el.pane).to.equal('thread');
      await waitUntil(() => !shown(sheet), 'the sheet closes');
      await waitUntil(() => focused() === part(el, 'back'));

      part(el, 'back').click();
      await el.updateComplete;
      expect(visiblePanes(el)).to.deep.equal(['inbox']);
      // Focus returns to the list of conversations it came from.
      await waitUntil(() => focused() === list(el));
    });

    it('goes back with Escape and Alt+←, but not while typing in a field', async () => {
      const el = await workspace();
      await waitUntil(() => el.layout === 'narrow');
      row(el)!.click();
      await waitUntil(() => focused() === part(el, 'back'));
      part(el, 'contact-toggle').click();
      await waitUntil(() => focused() === part(el, 'close'));

      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(el.pane).to.equal('thread');

      el.querySelector('charla-thread')!.shadowRoot!.querySelector('textarea')!.focus();
      await sendKeys({ press: 'Escape' });
      await altLeft();
      await el.updateComplete;
      expect(el.pane, 'keys typed in the composer stay there').to.equal('thread');

      part(el, 'back').focus();
      await altLeft();
      await el.updateComplete;
      expect(el.pane).to.equal('inbox');
      await waitUntil(() => visiblePanes(el).join() === 'inbox', 'only the inbox shows');
    });

    it('with `history`, the browser\'s Back steps back too, and the back controls go through the history', async () => {
      const el = await workspace();
      el.history = true;
      await waitUntil(() => el.layout === 'narrow');
      const entries = window.history.length;
      row(el)!.click();
      await el.updateComplete;
      // A step was pushed (Chromium keeps at most 50 entries, a full history stays at 50).
      expect(window.history.length).to.equal(Math.min(entries + 1, 50));
      part(el, 'contact-toggle').click();
      await el.updateComplete;
      expect(el.pane).to.equal('panel');

      window.history.back();
      await waitUntil(() => el.pane === 'thread', 'Back closes the contact sheet');
      // The on-screen back control takes the same way: through the browser's history.
      part(el, 'back').click();
      await waitUntil(() => el.pane === 'inbox', 'back to the inbox');
      row(el)!.click();
      await el.updateComplete;
      expect(el.pane).to.equal('thread');
      window.history.back();
      await waitUntil(() => el.pane === 'inbox', 'Back returns to the inbox');
    });

    it('is accessible in each pane', async () => {
      const el = await workspace();
      await waitUntil(() => el.layout === 'narrow');
      await expect(el).to.be.accessible();
      row(el)!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
      el.show('panel');
      await el.updateComplete;
      await expect(el).to.be.accessible();
    });
  });

  it('is accessible in the dark theme, in each pane of a phone', async () => {
    await setViewport({ width: 390, height: 844 });
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(tokensCss);
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
    document.documentElement.dataset.charlaTheme = 'dark';
    try {
      const el = await workspace();
      await waitUntil(() => el.layout === 'narrow');
      expect(getComputedStyle(part(el, 'thread')).backgroundColor).to.equal('rgb(13, 17, 23)');
      await expect(el).to.be.accessible();
      row(el)!.click();
      await el.updateComplete;
      await expect(el).to.be.accessible();
      el.show('panel');
      await el.updateComplete;
      await expect(el).to.be.accessible();
    } finally {
      delete document.documentElement.dataset.charlaTheme;
      document.adoptedStyleSheets = document.adoptedStyleSheets.filter((candidate) => candidate !== sheet);
    }
  });

  describe('on a tablet (768 × 1024)', () => {
    beforeEach(() => setViewport({ width: 768, height: 1024 }));

    it('shows the inbox beside the thread; the contact panel is a sheet over the thread, closed with Escape', async () => {
      const el = await workspace();
      await waitUntil(() => el.layout === 'medium');
      row(el)!.click();
      await el.updateComplete;
      expect(visiblePanes(el)).to.deep.equal(['inbox', 'thread']);
      expect(part(el, 'inbox').getBoundingClientRect().right).to.be.at.most(part(el, 'thread').getBoundingClientRect().left + 1);
      // Both are in sight: no way "back" is offered, only the contact.
      expect(part(el, 'back').checkVisibility({ visibilityProperty: true })).to.be.false;

      part(el, 'contact-toggle').click();
      await el.updateComplete;
      const sheet = part(el, 'panel');
      await waitUntil(() => Math.round(sheet.getBoundingClientRect().right) === 768 && sheet.getBoundingClientRect().left > 300, 'the sheet slides in from the right');
      expect(part(el, 'contact-toggle').getAttribute('aria-expanded')).to.equal('true');
      expect(part(el, 'inbox').inert && part(el, 'thread').inert, 'what is behind the sheet is inert').to.be.true;
      await waitUntil(() => focused() === part(el, 'close'));

      await sendKeys({ press: 'Escape' });
      await el.updateComplete;
      expect(el.pane).to.equal('thread');
      await waitUntil(() => !shown(sheet));
      expect(visiblePanes(el)).to.deep.equal(['inbox', 'thread']);
      await waitUntil(() => focused() === part(el, 'contact-toggle'));
    });
  });

  it('lays the three out side by side when wide, with no back or contact controls', async () => {
    await setViewport({ width: 1440, height: 900 });
    const el = await workspace();
    await waitUntil(() => el.layout === 'wide');
    expect(visiblePanes(el)).to.deep.equal(['inbox', 'thread', 'panel']);
    expect(shown(part(el, 'bar'))).to.be.false;
    const [inbox, thread, panel] = ['inbox', 'thread', 'panel'].map((name) => part(el, name).getBoundingClientRect());
    expect(inbox!.right).to.be.at.most(thread!.left + 1);
    expect(thread!.right).to.be.at.most(panel!.left + 1);
  });
});
