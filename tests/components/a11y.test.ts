import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../fixtures/locales.js';
import '@charla/webchat';
import { tokensCss, type CharlaProvider } from '@charla/elements';
import { dashboardData, DASHBOARD_NOW } from '../fixtures/dashboard.js';
import { BOARD_NOW, agendaContacts, agendaTasks, timelineItems } from '../fixtures/deals.js';
import { agent, contact, conversation, message, minutesAgo } from '../fixtures/entities.js';
import { presenceAgents, presenceMap } from '../fixtures/presence.js';
import { salesClient } from '../fixtures/sales.js';

// Every element, in the light and the dark theme, passes axe (contrast, names, roles, landmarks).
// The dark theme is the documented switch: `data-charla-theme="dark"` on an ancestor with `tokensCss` in the page.

const style = document.createElement('style');
style.textContent = tokensCss;
document.head.append(style);

const THEMES = ['light', 'dark'] as const;
type Theme = (typeof THEMES)[number];

async function mount(theme: Theme, content: TemplateResult, ready?: (root: HTMLElement) => unknown) {
  const root = await fixture<HTMLElement>(html`<div lang="es" data-charla-theme=${theme}
    style="width: 1200px; height: 700px; background: var(--charla-color-surface); color: var(--charla-color-text); color-scheme: ${theme}">${content}</div>`);
  if (ready) await waitUntil(() => ready(root), 'the element has rendered its content');
  const element = root.firstElementChild as HTMLElement & { updateComplete?: Promise<unknown> };
  await element.updateComplete;
  return root;
}
const inShadow = (root: HTMLElement, tag: string, selector: string) => root.querySelector(tag)?.shadowRoot?.querySelector(selector);

const messages = [
  message({ id: 'msg_1', body: 'Hola, ¿cuánto cuesta el envío a Monterrey?', createdAt: minutesAgo(60 * 26) }),
  message({ id: 'msg_2', direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García', body: 'Cuesta $99 MXN', status: 'read', createdAt: minutesAgo(20) }),
  message({ id: 'msg_3', direction: 'out', senderKind: 'agent', senderId: 'ag_ana', senderName: 'Ana García', body: 'Cliente frecuente', private: true, createdAt: minutesAgo(10) }),
];

for (const theme of THEMES) {
  describe(`accessibility, ${theme} theme`, () => {
    it('charla-inbox', async () => {
      const root = await mount(theme, html`<charla-inbox style="height: 500px"
        .conversations=${[conversation({ unreadCount: 2 }), conversation({ id: 'cv_2', contactId: 'ct_john', assigneeId: 'ag_ana', priority: 'high', labels: ['vip'] })]}
        .contacts=${[contact(), contact({ id: 'ct_john', name: 'John Carter' })]} .agents=${[agent()]}
        .counts=${{ open: 2, pending: 0, snoozed: 0, resolved: 0, all: 2 }}></charla-inbox>`,
        (r) => inShadow(r, 'charla-inbox', '[role="option"]'));
      await expect(root).to.be.accessible();
    });

    it('charla-thread with its actions, More menu and composer', async () => {
      const { client } = salesClient();
      const root = await mount(theme, html`<charla-thread style="height: 600px" conversation-id="cv_1" .client=${client}></charla-thread>`,
        (r) => inShadow(r, 'charla-thread', '[data-action="edit-deal"]'));
      await expect(root).to.be.accessible();
    });

    it('charla-thread in data mode', async () => {
      const root = await mount(theme, html`<charla-thread style="height: 600px" conversation-id="cv_1" .conversation=${conversation()}
        .contact=${contact()} .messages=${messages}></charla-thread>`, (r) => inShadow(r, 'charla-thread', '[role="log"]'));
      await expect(root).to.be.accessible();
    });

    it('charla-contact-panel with deals and tasks', async () => {
      const { client } = salesClient();
      const root = await mount(theme, html`<charla-contact-panel contact-id="ct_maria" .client=${client}></charla-contact-panel>`,
        (r) => inShadow(r, 'charla-contact-panel', '[data-edit="dl_maria"]'));
      await expect(root).to.be.accessible();
    });

    it('charla-timeline', async () => {
      const root = await mount(theme, html`<charla-timeline style="height: 700px; width: 520px" .items=${timelineItems()}></charla-timeline>`,
        (r) => inShadow(r, 'charla-timeline', 'article'));
      await expect(root).to.be.accessible();
    });

    it('charla-kanban', async () => {
      const { client } = salesClient();
      const root = await mount(theme, html`<charla-kanban style="height: 600px" .client=${client}></charla-kanban>`,
        (r) => inShadow(r, 'charla-kanban', '[data-deal="dl_maria"]'));
      await expect(root).to.be.accessible();
    });

    it('charla-dashboard', async () => {
      const root = await mount(theme, html`<charla-dashboard style="width: 1100px" .data=${dashboardData()} .now=${DASHBOARD_NOW}></charla-dashboard>`,
        (r) => inShadow(r, 'charla-dashboard', 'table'));
      await expect(root).to.be.accessible();
    });

    it('charla-agenda', async () => {
      const root = await mount(theme, html`<charla-agenda .tasks=${agendaTasks()} .contacts=${agendaContacts} .now=${BOARD_NOW}></charla-agenda>`,
        (r) => inShadow(r, 'charla-agenda', 'section.overdue li'));
      await expect(root).to.be.accessible();
    });

    it('charla-presence', async () => {
      const root = await mount(theme, html`<charla-presence me-id="ag_ana" .agents=${presenceAgents} .presence=${{ ...presenceMap }}></charla-presence>`,
        (r) => inShadow(r, 'charla-presence', 'li'));
      await expect(root).to.be.accessible();
    });

    it('elements inside charla-provider (connecting)', async () => {
      const root = await mount(theme, html`<charla-provider url="http://127.0.0.1:9"><charla-inbox style="height: 400px"></charla-inbox></charla-provider>`);
      const provider = root.querySelector<CharlaProvider>('charla-provider')!;
      provider.token = 'agent-token-0123456789';
      await provider.updateComplete;
      await expect(root).to.be.accessible();
      provider.client?.close();
    });

    it('charla-webchat', async () => {
      const root = await mount(theme, html`<charla-webchat ?dark=${theme === 'dark'} workspace-name="Aurora Shop"
        .messages=${messages.slice(0, 2)}></charla-webchat>`, (r) => inShadow(r, 'charla-webchat', '.message'));
      await expect(root).to.be.accessible();
    });

    it('the deal and task dialogs, open', async () => {
      const { client } = salesClient();
      const root = await mount(theme, html`<charla-kanban style="height: 600px" .client=${client}></charla-kanban>`,
        (r) => inShadow(r, 'charla-kanban', '[data-edit="dl_maria"]'));
      const kanban = root.querySelector('charla-kanban')!;
      kanban.shadowRoot!.querySelector<HTMLButtonElement>('[data-edit="dl_maria"]')!.click();
      const editor = kanban.shadowRoot!.querySelector('charla-deal-editor')!;
      await waitUntil(() => editor.shadowRoot?.querySelector('dialog')?.open, 'the deal dialog loads and opens');
      await expect(editor).to.be.accessible();
      editor.close();
      const agenda = await mount(theme, html`<charla-agenda .client=${client}></charla-agenda>`);
      agenda.querySelector('charla-agenda')!.shadowRoot!.querySelector<HTMLButtonElement>('[data-action="new-task"]')!.click();
      const tasks = agenda.querySelector('charla-agenda')!.shadowRoot!.querySelector('charla-task-editor')!;
      await waitUntil(() => tasks.shadowRoot?.querySelector('dialog')?.open, 'the task dialog loads and opens');
      await expect(tasks).to.be.accessible();
      tasks.close();
    });
  });
}
