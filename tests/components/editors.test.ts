import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../fixtures/locales.js';
import type { CharlaAgenda, CharlaContactPanel, CharlaKanban, CharlaThread } from '@charla/elements';
import { b2b } from '../fixtures/deals.js';
import { salesClient } from '../fixtures/sales.js';

const text = (node: Element) => node.textContent!.replace(/\s+/g, ' ').trim();
/** The focused element, inside shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}
/** A view's deal or task dialog: each view loads it the first time one is opened. */
async function dialogOf(host: Element, tag: 'charla-deal-editor' | 'charla-task-editor'): Promise<HTMLDialogElement> {
  const dialog = () => host.shadowRoot!.querySelector(tag)?.shadowRoot?.querySelector('dialog');
  await waitUntil(dialog, `${tag} loads`);
  return dialog()!;
}
const fieldIn = <T extends HTMLElement = HTMLInputElement>(dialog: HTMLDialogElement, id: string) => dialog.querySelector<T>(`#${id}`)!;
/** Types into a field the way a user does: select what is there, then type. */
async function retype(input: HTMLInputElement, value: string) {
  input.focus();
  input.select();
  await sendKeys({ press: 'Backspace' });
  if (value) await sendKeys({ type: value });
}
function choose(select: HTMLSelectElement, value: string) {
  select.value = value;
  select.dispatchEvent(new Event('change'));
}

async function kanban(lang = 'en') {
  const sales = salesClient();
  const el = await fixture<CharlaKanban>(html`<charla-kanban lang=${lang} style="height: 600px; width: 1200px" .client=${sales.client}></charla-kanban>`);
  await waitUntil(() => el.shadowRoot!.querySelector('[data-deal="dl_maria"]'), 'the board loads');
  return { el, ...sales };
}
const card = (el: CharlaKanban) => el.shadowRoot!.querySelector<HTMLElement>('[data-deal="dl_maria"]')!;
const editButton = (el: Element) => el.shadowRoot!.querySelector<HTMLButtonElement>('[data-edit="dl_maria"]')!;

describe('deal editor', () => {
  it('edits every field of a deal from its kanban card and the card shows the saved deal with its money formatted', async () => {
    const { el, deals, writes } = await kanban('es');
    expect(text(card(el))).to.contain('Sin monto');
    const header = () => text(el.shadowRoot!.querySelector(`section[data-stage="${b2b.stages[0]!.id}"] header`)!);
    expect(header()).to.not.contain('$0', 'a column of deals without amounts shows no zero total');
    expect(editButton(el).getAttribute('aria-label')).to.equal('Agregar un monto a «20 tazas azules»');
    editButton(el).click();
    const dialog = await dialogOf(el, 'charla-deal-editor');
    await waitUntil(() => dialog.open, 'the dialog opens');
    expect(focused()).to.equal(fieldIn(dialog, 'amount'), 'a deal without an amount opens on its amount');
    await retype(fieldIn(dialog, 'title'), '20 tazas azules y 5 jarras');
    await retype(fieldIn(dialog, 'amount'), '7020');
    choose(fieldIn<HTMLSelectElement>(dialog, 'currency'), 'MXN');
    const close = fieldIn(dialog, 'expectedCloseDate');
    close.value = '2026-12-31';
    close.dispatchEvent(new Event('input'));
    await retype(fieldIn(dialog, 'probability'), '60');
    choose(fieldIn<HTMLSelectElement>(dialog, 'ownerId'), 'ag_bruno');
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => !dialog.open, 'the dialog closes once saved');
    expect(writes()).to.have.length(1);
    expect(writes()[0]!.payload).to.deep.equal({
      dealId: 'dl_maria', title: '20 tazas azules y 5 jarras', amount: 7020, probability: 60, expectedCloseDate: '2026-12-31', ownerId: 'ag_bruno',
    });
    expect(deals.get('dl_maria')).to.include({ amount: 7020, probability: 60, ownerId: 'ag_bruno', expectedCloseDate: '2026-12-31' });
    await waitUntil(() => text(card(el)).includes('$7,020 MXN'), 'the card shows the amount in the currency’s own format');
    expect(text(card(el))).to.contain('20 tazas azules y 5 jarras').and.contain('Bruno Costa');
    expect(header()).to.contain('$7,020 MXN');
    expect(focused()).to.equal(editButton(el), 'focus is back on the button that opened it');
  });

  it('changes the currency and shows it in that currency’s format (pt: R$)', async () => {
    const { el, deals } = await kanban('pt');
    editButton(el).click();
    const dialog = await dialogOf(el, 'charla-deal-editor');
    await waitUntil(() => dialog.open);
    const currency = fieldIn<HTMLSelectElement>(dialog, 'currency');
    const codes = [...currency.querySelectorAll('option')].map((option) => option.value);
    expect(codes.slice(0, 8)).to.deep.equal(['MXN', 'BRL', 'COP', 'ARS', 'CLP', 'PEN', 'UYU', 'USD'], 'Latin American currencies first');
    expect(codes).to.include('JPY');
    await retype(fieldIn(dialog, 'amount'), '800,50');
    choose(currency, 'BRL');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !dialog.open);
    expect(deals.get('dl_maria')).to.include({ amount: 800.5, currency: 'BRL' });
    await waitUntil(() => text(card(el)).includes('R$ 801'));
  });

  it('explains bad input beside each field and sends nothing: negative amount, probability 150, empty title', async () => {
    const { el, writes } = await kanban('en');
    editButton(el).click();
    const dialog = await dialogOf(el, 'charla-deal-editor');
    await waitUntil(() => dialog.open);
    await retype(fieldIn(dialog, 'title'), '');
    await retype(fieldIn(dialog, 'amount'), '-50');
    await retype(fieldIn(dialog, 'probability'), '150');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.querySelector('[role="alert"]'));
    expect(dialog.open).to.be.true;
    expect(text(dialog.querySelector('#title-error')!)).to.equal('Write a title.');
    expect(text(dialog.querySelector('#amount-error')!)).to.equal('The amount cannot be negative.');
    expect(text(dialog.querySelector('#probability-error')!)).to.equal('The probability is a whole number from 0 to 100.');
    expect(fieldIn(dialog, 'amount').getAttribute('aria-invalid')).to.equal('true');
    expect(fieldIn(dialog, 'amount').getAttribute('aria-describedby')).to.equal('amount-error');
    expect(focused()).to.equal(fieldIn(dialog, 'title'), 'focus goes to the first field to fix');
    expect(writes()).to.deep.equal([]);
    await retype(fieldIn(dialog, 'amount'), 'mucho');
    await retype(fieldIn(dialog, 'title'), 'Tazas');
    await retype(fieldIn(dialog, 'probability'), '40');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.querySelector('#amount-error'));
    expect(text(dialog.querySelector('#amount-error')!)).to.contain('as a number');
    expect(writes()).to.deep.equal([]);
  });

  it('shows the server’s refusal in the dialog and keeps what was typed', async () => {
    const { el, refuse, deals } = await kanban('en');
    refuse('deal.update', 'Only the owner or an admin can change this deal');
    editButton(el).click();
    const dialog = await dialogOf(el, 'charla-deal-editor');
    await waitUntil(() => dialog.open);
    await retype(fieldIn(dialog, 'amount'), '1500');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.querySelector('.alert'));
    expect(text(dialog.querySelector('.alert')!)).to.equal('Not saved: Only the owner or an admin can change this deal');
    expect(dialog.open).to.be.true;
    expect(fieldIn(dialog, 'amount').value).to.equal('1500');
    expect(deals.get('dl_maria')!.amount).to.equal(0);
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !dialog.open, 'saving again works');
    expect(deals.get('dl_maria')!.amount).to.equal(1500);
  });

  it('is usable with the keyboard alone: Tab to the edit button, Enter opens, Tab through labelled fields, Escape closes back to the button', async () => {
    const { el, writes } = await kanban('en');
    card(el).focus();
    await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(editButton(el));
    await sendKeys({ press: 'Enter' });
    const dialog = await dialogOf(el, 'charla-deal-editor');
    await waitUntil(() => dialog.open);
    const order: string[] = [];
    // A date field takes one Tab per part (day, month, year): count each field once.
    for (let i = 0; i < 12 && order.length < 7; i += 1) {
      const node = focused() as HTMLElement;
      const name = node.id || node.textContent!.trim();
      if (order.at(-1) !== name) order.push(name);
      await sendKeys({ press: 'Tab' });
    }
    expect(order).to.deep.equal(['amount', 'currency', 'expectedCloseDate', 'probability', 'ownerId', 'Cancel', 'Save']);
    for (const id of ['title', 'amount', 'currency', 'expectedCloseDate', 'probability', 'ownerId']) {
      expect(dialog.querySelector(`label[for="${id}"]`), id).to.exist;
    }
    await expect(el.shadowRoot!.querySelector('charla-deal-editor')).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open);
    expect(focused()).to.equal(editButton(el));
    expect(writes()).to.deep.equal([]);
  });

  it('edits a deal from the contact panel and from the thread (the conversation’s deal)', async () => {
    const { client, deals } = salesClient();
    const panel = await fixture<CharlaContactPanel>(html`<charla-contact-panel lang="es" contact-id="ct_maria" .client=${client}></charla-contact-panel>`);
    await waitUntil(() => panel.shadowRoot!.querySelector('[data-edit="dl_maria"]'), 'the panel lists the deal');
    expect(text(panel.shadowRoot!.querySelector('li[data-deal="dl_maria"]')!)).to.contain('Sin monto');
    editButton(panel).click();
    const panelDialog = await dialogOf(panel, 'charla-deal-editor');
    await waitUntil(() => panelDialog.open);
    await retype(fieldIn(panelDialog, 'amount'), '7020');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => text(panel.shadowRoot!.querySelector('li[data-deal="dl_maria"]')!).includes('$7,020.00 MXN'));

    const thread = await fixture<CharlaThread>(html`<charla-thread lang="es" conversation-id="cv_1" .client=${client}></charla-thread>`);
    const chip = () => thread.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="edit-deal"]');
    await waitUntil(() => chip(), 'the thread shows its deal');
    expect(text(chip()!)).to.contain('$7,020.00 MXN');
    chip()!.click();
    const threadDialog = await dialogOf(thread, 'charla-deal-editor');
    await waitUntil(() => threadDialog.open);
    await retype(fieldIn(threadDialog, 'probability'), '80');
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !threadDialog.open);
    expect(deals.get('dl_maria')!.probability).to.equal(80);
  });
});

describe('task editor', () => {
  it('creates a task from the thread, linked to the conversation, contact and deal, owned by me; it appears on the agenda', async () => {
    const { client, tasks } = salesClient();
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="en" style="display: grid; grid-template-columns: 1fr 320px; height: 700px">
      <charla-thread conversation-id="cv_1" .client=${client}></charla-thread>
      <charla-agenda .client=${client}></charla-agenda>
    </div>`);
    const thread = wrapper.querySelector<CharlaThread>('charla-thread')!;
    const agenda = wrapper.querySelector<CharlaAgenda>('charla-agenda')!;
    const newTask = () => thread.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="new-task"]');
    await waitUntil(() => newTask() && thread.shadowRoot!.querySelector('[data-action="edit-deal"]'), 'the thread is ready');
    newTask()!.click();
    const dialog = await dialogOf(thread, 'charla-task-editor');
    await waitUntil(() => dialog.open);
    expect(focused()).to.equal(fieldIn(dialog, 'task-title'));
    expect(fieldIn<HTMLSelectElement>(dialog, 'task-owner').value).to.equal('ag_ana', 'owned by me by default');
    expect(text(dialog.querySelector('fieldset')!)).to.contain('This conversation').and.contain('Contact: María López').and.contain('Deal: 20 tazas azules');
    await sendKeys({ type: 'Enviar la cotización' });
    const tomorrow = new Date(Date.now() + 86_400_000);
    const date = fieldIn(dialog, 'task-due-date');
    date.value = `${tomorrow.getFullYear()}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
    date.dispatchEvent(new Event('input'));
    const time = fieldIn(dialog, 'task-due-time');
    time.value = '10:30';
    time.dispatchEvent(new Event('input'));
    dialog.querySelector<HTMLButtonElement>('button[type="submit"]')!.click();
    await waitUntil(() => !dialog.open);
    const task = [...tasks.values()][0]!;
    expect(task).to.include({ title: 'Enviar la cotización', ownerId: 'ag_ana', conversationId: 'cv_1', contactId: 'ct_maria', dealId: 'dl_maria' });
    expect(new Date(task.dueAt!).getHours()).to.equal(10);
    await waitUntil(
      () => [...agenda.shadowRoot!.querySelectorAll('section.upcoming .title')].some((node) => text(node) === 'Enviar la cotización'),
      'the new task shows on my agenda',
    );
    // "New task…" is an item of the thread's "More" menu, closed by now: focus returns to "More".
    expect(focused()).to.equal(thread.shadowRoot!.querySelector('[part="more-button"]'));
  });

  it('refuses an empty title or a time without a date and sends nothing; Escape closes it with the keyboard alone', async () => {
    const { client, writes } = salesClient();
    const agenda = await fixture<CharlaAgenda>(html`<charla-agenda lang="es" .client=${client}></charla-agenda>`);
    const button = agenda.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="new-task"]')!;
    expect(text(button)).to.equal('Nueva tarea');
    button.focus();
    await sendKeys({ press: 'Enter' });
    const dialog = await dialogOf(agenda, 'charla-task-editor');
    await waitUntil(() => dialog.open);
    for (let i = 0; i < 6 && focused() !== fieldIn(dialog, 'task-due-time'); i += 1) await sendKeys({ press: 'Tab' });
    expect(focused()).to.equal(fieldIn(dialog, 'task-due-time'), 'Tab reaches the time after the date');
    const time = fieldIn(dialog, 'task-due-time');
    time.value = '10:30';
    time.dispatchEvent(new Event('input'));
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => dialog.querySelector('#task-title-error'));
    expect(text(dialog.querySelector('#task-title-error')!)).to.equal('Escribe un título.');
    expect(text(dialog.querySelector('#task-dueDate-error')!)).to.equal('Elige una fecha para esta hora.');
    expect(writes()).to.deep.equal([]);
    await expect(agenda.shadowRoot!.querySelector('charla-task-editor')).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await waitUntil(() => !dialog.open);
    expect(focused()).to.equal(button);
  });

  it('creates a task for a deal from the contact panel without a due date: it is upcoming on the agenda', async () => {
    const { client, tasks } = salesClient();
    const wrapper = await fixture<HTMLDivElement>(html`<div lang="pt">
      <charla-contact-panel contact-id="ct_maria" .client=${client}></charla-contact-panel>
      <charla-agenda .client=${client}></charla-agenda>
    </div>`);
    const panel = wrapper.querySelector<CharlaContactPanel>('charla-contact-panel')!;
    const agenda = wrapper.querySelector<CharlaAgenda>('charla-agenda')!;
    await waitUntil(() => panel.shadowRoot!.querySelector('[data-new-task="dl_maria"]'));
    panel.shadowRoot!.querySelector<HTMLButtonElement>('[data-new-task="dl_maria"]')!.click();
    const dialog = await dialogOf(panel, 'charla-task-editor');
    await waitUntil(() => dialog.open);
    await sendKeys({ type: 'Ligar para a María' });
    await sendKeys({ press: 'Enter' });
    await waitUntil(() => !dialog.open);
    expect([...tasks.values()][0]).to.include({ title: 'Ligar para a María', dueAt: null, dealId: 'dl_maria', contactId: 'ct_maria', conversationId: null });
    await waitUntil(() => text(agenda.shadowRoot!.querySelector('section.upcoming')!).includes('Ligar para a María'));
    await waitUntil(() => text(panel.shadowRoot!.querySelector('section[aria-labelledby="tasks"]')!).includes('Ligar para a María'),
      'the panel lists it too');
  });

  it('hides editing from viewers', async () => {
    const { client } = salesClient({ role: 'viewer' });
    const el = await fixture<CharlaKanban>(html`<charla-kanban lang="en" .client=${client} pipeline-id=${b2b.id}></charla-kanban>`);
    await waitUntil(() => el.shadowRoot!.querySelector('[data-deal="dl_maria"]'));
    expect(editButton(el)).to.equal(null);
    const agenda = await fixture<CharlaAgenda>(html`<charla-agenda lang="en" .client=${client}></charla-agenda>`);
    expect(agenda.shadowRoot!.querySelector('[data-action="new-task"]')).to.equal(null);
  });
});
