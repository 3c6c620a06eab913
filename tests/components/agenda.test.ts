import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import type { CharlaAgenda } from '@charla/elements';
import { BOARD_NOW, agendaContacts, agendaTasks } from '../fixtures/deals.js';

async function agenda(lang = 'en') {
  return fixture<CharlaAgenda>(html`<charla-agenda lang=${lang} .tasks=${agendaTasks()} .contacts=${agendaContacts} .now=${BOARD_NOW}></charla-agenda>`);
}

const titles = (el: CharlaAgenda, section: string) =>
  [...el.shadowRoot!.querySelectorAll(`section.${section} .title`)].map((node) => node.textContent!.trim());

describe('charla-agenda', () => {
  it('sorts open tasks into overdue, today and upcoming, with contact and due time', async () => {
    const el = await agenda();
    expect(titles(el, 'overdue')).to.deep.equal(['Reponer el jarrón roto', 'Enviar la cotización de las 20 tazas']);
    expect(titles(el, 'today')).to.deep.equal(['Confirmar la transferencia']);
    expect(titles(el, 'upcoming')).to.deep.equal(['Follow up in 48 h', 'Send the wholesale catalog']);
    const headings = [...el.shadowRoot!.querySelectorAll('h3')].map((h) => h.textContent!.replace(/\s+/g, ' ').trim());
    expect(headings).to.deep.equal(['Overdue 2', 'Today 1', 'Upcoming 2']);
    const upcoming = el.shadowRoot!.querySelector('section.upcoming')!.textContent!;
    expect(upcoming).to.contain('No due date').and.contain('Emily Carter').and.contain('automatic');
    await expect(el).to.be.accessible();
  });

  it('opens the linked conversation in one click, or with Enter', async () => {
    const el = await agenda();
    const first = el.shadowRoot!.querySelector<HTMLButtonElement>('section.overdue button')!;
    setTimeout(() => first.click());
    const { detail } = await oneEvent(el, 'charla-task-open');
    expect(detail).to.deep.equal({ taskId: 'tk_vase', conversationId: 'cv_camilo', contactId: 'ct_camilo', dealId: null });
    el.shadowRoot!.querySelector<HTMLButtonElement>('section.today button')!.focus();
    setTimeout(() => void sendKeys({ press: 'Enter' }));
    expect((await oneEvent(el, 'charla-task-open')).detail.conversationId).to.equal('cv_ricardo');
  });

  it('marks a task done with its checkbox', async () => {
    const el = await agenda();
    const box = el.shadowRoot!.querySelector<HTMLInputElement>('section.today input')!;
    expect(box.getAttribute('aria-label')).to.equal('Mark “Confirmar la transferencia” done');
    setTimeout(() => box.click());
    expect((await oneEvent(el, 'charla-task-done')).detail.taskId).to.equal('tk_pay');
    await el.updateComplete;
    expect(titles(el, 'today')).to.deep.equal([]);
    expect(el.shadowRoot!.querySelector('section.today')!.textContent).to.contain('Nothing here');
  });

  it('speaks Spanish and Portuguese', async () => {
    const es = await agenda('es');
    expect(es.shadowRoot!.querySelector('section.overdue h3')!.textContent).to.contain('Vencidas');
    const pt = await agenda('pt');
    expect(pt.shadowRoot!.querySelector('section.upcoming')!.textContent).to.contain('Próximas').and.contain('Sem data');
    await expect(pt).to.be.accessible();
  });
});
