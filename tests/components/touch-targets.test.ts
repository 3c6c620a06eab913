import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import type { TemplateResult } from 'lit';
import '../fixtures/locales.js';
import '@charla/elements';
import { BOARD_NOW, agendaContacts, agendaTasks, timelineItems } from '../fixtures/deals.js';
import { salesClient } from '../fixtures/sales.js';

// On a touch screen every control a finger acts on in the contact panel, the timeline and the
// agenda is at least 44 × 44 px. The phone is a 390 px viewport under Chromium's touch emulation
// (DevTools' device mode, see web-test-runner.config.mjs), so `(pointer: coarse)` matches as on a real phone.

const MIN = 44;
const CONTROLS = 'button, a[href], select, input:not([type="hidden"]), textarea, summary, [role="button"], [role="tab"], [role="link"], [tabindex="0"]';

/** Every visible control in the element, its nested elements' shadow roots included, as `label: w × h`. */
function tooSmall(root: ShadowRoot | Element): string[] {
  const found: string[] = [];
  const visit = (node: ShadowRoot | Element) => {
    for (const control of node.querySelectorAll<HTMLElement>(CONTROLS)) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || control.closest('[hidden], dialog:not([open])')) continue;
      // A checkbox or radio counts with its label, the area that toggles it.
      const target = (control as HTMLInputElement).labels?.[0] ?? control;
      const area = target === control ? box : target.getBoundingClientRect();
      if (area.width + 0.5 < MIN || area.height + 0.5 < MIN) {
        const name = (control.getAttribute('aria-label') ?? control.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 40);
        found.push(`<${control.localName}${control.getAttribute('part') ? ` part="${control.getAttribute('part')}"` : ''}> "${name}": ${Math.round(area.width)} × ${Math.round(area.height)}`);
      }
    }
    for (const element of node.querySelectorAll('*')) if (element.shadowRoot) visit(element.shadowRoot);
  };
  visit(root);
  return found;
}

async function mount(content: TemplateResult, ready: (element: HTMLElement) => unknown): Promise<HTMLElement> {
  const root = await fixture<HTMLElement>(html`<div lang="es" style="width: 390px">${content}</div>`);
  const element = root.firstElementChild as HTMLElement;
  await waitUntil(() => ready(element), 'the element has rendered its content');
  return element;
}

describe('touch targets at 390 px on a touch screen', () => {
  before(async () => {
    await setViewport({ width: 390, height: 844 });
    await executeServerCommand('emulate-touch', { enabled: true });
    expect(matchMedia('(pointer: coarse)').matches, 'the emulated phone has a coarse pointer').to.equal(true);
  });
  after(async () => {
    await executeServerCommand('emulate-touch', { enabled: false });
  });

  it('the contact panel, with its deals and tasks', async () => {
    const { client } = salesClient();
    const panel = await mount(html`<charla-contact-panel contact-id="ct_maria" .client=${client}></charla-contact-panel>`,
      (element) => element.shadowRoot?.querySelector('[data-edit="dl_maria"]'));
    expect(tooSmall(panel.shadowRoot!)).to.deep.equal([]);
  });

  it('the timeline', async () => {
    const timeline = await mount(html`<charla-timeline style="height: 700px" .items=${timelineItems()}></charla-timeline>`,
      (element) => element.shadowRoot?.querySelector('article'));
    expect(tooSmall(timeline.shadowRoot!)).to.deep.equal([]);
  });

  it('the agenda', async () => {
    const agenda = await mount(html`<charla-agenda .tasks=${agendaTasks()} .contacts=${agendaContacts} .now=${BOARD_NOW}></charla-agenda>`,
      (element) => element.shadowRoot?.querySelector('section.overdue li'));
    expect(tooSmall(agenda.shadowRoot!)).to.deep.equal([]);
  });
});
