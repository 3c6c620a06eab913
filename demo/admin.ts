import '@charla/elements';

/** The demo server hands the demo admin token to this page; a real host uses its own session. */
interface DemoConfig {
  token: string;
  widgetKey: string;
}

const provider = document.querySelector('charla-provider')!;
const inbox = document.querySelector('charla-inbox')!;
const thread = document.querySelector('charla-thread')!;
const contactPanel = document.querySelector('charla-contact-panel')!;
const historyFeed = document.querySelector('charla-timeline')!;
const workspace = document.querySelector('charla-workspace')!;

// The customer column: profile or history, as tabs (arrow keys move between them).
const tabs = [...document.querySelectorAll<HTMLButtonElement>('.side-tabs [role="tab"]')];
function selectTab(tab: HTMLButtonElement): void {
  for (const other of tabs) {
    const selected = other === tab;
    other.setAttribute('aria-selected', String(selected));
    other.tabIndex = selected ? 0 : -1;
    document.getElementById(other.getAttribute('aria-controls')!)!.hidden = !selected;
  }
}
for (const tab of tabs) {
  tab.addEventListener('click', () => selectTab(tab));
  tab.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft') return;
    const next = tabs[(tabs.indexOf(tab) + (event.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length]!;
    selectTab(next);
    next.focus();
  });
}
// An item of the history opens its conversation.
historyFeed.addEventListener('charla-timeline-open', (event) => {
  if (event.detail.conversationId) location.hash = event.detail.conversationId;
});
const lang = document.querySelector<HTMLSelectElement>('#lang')!;
const kanban = document.querySelector('charla-kanban')!;

/**
 * `#pipeline` shows the deals board, `#metrics` the sales dashboard, `#settings` the admin's
 * settings; any other hash is an open conversation.
 */
const PIPELINE_HASH = 'pipeline';
const METRICS_HASH = 'metrics';
const SETTINGS_HASH = 'settings';
/** The agenda alone: on screens too narrow to show it beside the board (see demo.css). */
const AGENDA_HASH = 'agenda';
/** The customers directory ("Clientes"), with the profile of the contact opened from it. */
const CONTACTS_HASH = 'contacts';
/** Companies with their people, deals and timeline. */
const COMPANIES_HASH = 'companies';
/** Template broadcasts ("Campañas"); the directory's "Send broadcast" opens it with the selection. */
const BROADCASTS_HASH = 'broadcasts';
const isView = (hash: string) => [PIPELINE_HASH, METRICS_HASH, SETTINGS_HASH, AGENDA_HASH, CONTACTS_HASH, COMPANIES_HASH, BROADCASTS_HASH].includes(hash);
function showView(): void {
  const hash = location.hash.slice(1);
  const board = hash === PIPELINE_HASH;
  const metrics = hash === METRICS_HASH;
  const settings = hash === SETTINGS_HASH;
  const agenda = hash === AGENDA_HASH;
  const contacts = hash === CONTACTS_HASH;
  const companies = hash === COMPANIES_HASH;
  const broadcasts = hash === BROADCASTS_HASH;
  document.querySelector('.workspace')!.classList.toggle('broadcasts-view', broadcasts);
  document.querySelector('.workspace')!.classList.toggle('contacts-view', contacts);
  document.querySelector('.workspace')!.classList.toggle('companies-view', companies);
  document.querySelector('.workspace')!.classList.toggle('pipeline-view', board);
  document.querySelector('.workspace')!.classList.toggle('metrics-view', metrics);
  document.querySelector('.workspace')!.classList.toggle('settings-view', settings);
  document.querySelector('.workspace')!.classList.toggle('agenda-view', agenda);
  const conversations = !board && !metrics && !settings && !agenda && !contacts && !companies && !broadcasts;
  const links = [
    ['#nav-pipeline', board], ['#nav-agenda', agenda], ['#nav-metrics', metrics], ['#nav-settings', settings], ['#nav-contacts', contacts], ['#nav-companies', companies],
    ['#nav-broadcasts', broadcasts],
    ['#nav-conversations', conversations],
  ] as const;
  for (const [selector, current] of links) {
    const link = document.querySelector(selector)!;
    if (current) {
      link.setAttribute('aria-current', 'page');
      // On a phone the sidebar is a bar that scrolls sideways: keep the current view's link in sight.
      link.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    } else link.removeAttribute('aria-current');
  }
}
window.addEventListener('hashchange', () => {
  showView();
  const hash = location.hash.slice(1);
  if (!isView(hash)) open(hash || null);
});
// A deal, or a task of the agenda, opens its conversation.
kanban.addEventListener('charla-deal-open', (event) => {
  if (event.detail.conversationId) location.hash = event.detail.conversationId;
});
// A deal behind a number of the dashboard opens its conversation, or the board when it has none.
const dashboard = document.querySelector('charla-dashboard')!;
dashboard.addEventListener('charla-deal-open', (event) => {
  location.hash = event.detail.conversationId ?? PIPELINE_HASH;
});
// A customer behind a lifetime value opens the conversation they first wrote in; a customer waiting opens theirs.
dashboard.addEventListener('charla-contact-open', (event) => {
  if (event.detail.conversationId) location.hash = event.detail.conversationId;
});
dashboard.addEventListener('charla-conversation-select', (event) => {
  location.hash = event.detail.conversationId;
});
// The month's target set in the dashboard is kept in this browser (a real host would store it with the workspace).
const TARGET_KEY = 'charla-demo:sales-target';
const savedTarget = localStorage.getItem(TARGET_KEY);
if (savedTarget !== null) dashboard.target = savedTarget === '' ? null : Number(savedTarget);
dashboard.addEventListener('charla-target-change', (event) => localStorage.setItem(TARGET_KEY, event.detail.target === null ? '' : String(event.detail.target)));
// So is the choice of wall-clock or business-hours service clocks.
const HOURS_KEY = 'charla-demo:service-hours';
if (localStorage.getItem(HOURS_KEY) === 'business') dashboard.hours = 'business';
dashboard.addEventListener('charla-hours-change', (event) => localStorage.setItem(HOURS_KEY, event.detail.hours));
// A contact opened in the directory, or among a company's people, shows its profile in the directory.
const directoryContact = document.querySelector<HTMLElement & { contactId: string | null }>('#directory-contact')!;
const openContact = (event: CustomEvent<{ contactId: string }>) => {
  directoryContact.contactId = event.detail.contactId;
  directoryContact.hidden = false;
  if (location.hash !== `#${CONTACTS_HASH}`) location.hash = CONTACTS_HASH;
};
document.querySelector('charla-contacts')!.addEventListener('charla-contact-open', openContact);
document.querySelector('charla-companies')!.addEventListener('charla-contact-open', openContact);
// "Send broadcast" on the directory's selection opens the broadcasts' composer with it.
const broadcastsView = document.querySelector('charla-broadcasts')!;
document.querySelector('charla-contacts')!.addEventListener('charla-broadcast-compose', (event) => {
  broadcastsView.selectionCount = event.detail.count;
  broadcastsView.selection = event.detail.selection;
  location.hash = BROADCASTS_HASH;
});
document.querySelector('charla-agenda')!.addEventListener('charla-task-open', (event) => {
  if (event.detail.conversationId) location.hash = event.detail.conversationId;
});

function open(conversationId: string | null): void {
  thread.conversationId = conversationId;
  inbox.selected = conversationId;
  // On a phone one pane shows at a time: a conversation opened from elsewhere comes forward.
  workspace.pane = conversationId ? 'thread' : 'inbox';
  showContact();
}

/** The profile follows the open conversation (also once a deep-linked one has loaded). */
function showContact(): void {
  const id = thread.conversationId;
  const contactId = (id && provider.client?.conversation(id)?.contactId) || null;
  if (contactPanel.contactId !== contactId) contactPanel.contactId = contactId;
  if (historyFeed.contactId !== contactId) historyFeed.contactId = contactId;
}

// "see message" beside an AI-filled field: open its conversation and show the message.
contactPanel.addEventListener('charla-message-reveal', (event) => {
  const { conversationId, messageId } = event.detail;
  if (thread.conversationId !== conversationId) {
    open(conversationId);
    history.replaceState(null, '', `#${conversationId}`);
  }
  void thread.revealMessage(messageId);
});

inbox.addEventListener('charla-conversation-select', (event) => {
  open(event.detail.conversationId);
  history.replaceState(null, '', `#${event.detail.conversationId}`);
});

// Mentions and assignments for the signed-in agent: a host shows them its own way; the demo toasts.
provider.addEventListener('charla-notification', ({ detail: { notification } }) => {
  const toast = document.createElement('button');
  toast.className = 'toast';
  const what = notification.kind === 'mention' ? 'te mencionó' : notification.kind === 'assignment' ? 'te asignó una conversación' : 'avisa';
  toast.textContent = `${notification.actorName ?? 'Charla'} ${what}: ${notification.preview}`;
  toast.addEventListener('click', () => {
    if (notification.conversationId) open(notification.conversationId);
    toast.remove();
  });
  document.querySelector('#toasts')!.append(toast);
  setTimeout(() => toast.remove(), 8000);
});

lang.value = document.documentElement.lang;
lang.addEventListener('change', () => (document.documentElement.lang = lang.value));

async function demoAgentToken(agentId: string): Promise<string> {
  const response = await fetch(`/demo/agent-token?agentId=${encodeURIComponent(agentId)}`);
  if (!response.ok) throw new Error(`No token for agent ${agentId}: the server answered ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

/**
 * The shop's quick action: "Payment link" asks the shop's payment provider (the demo's fake
 * payment API, through this host's backend at /demo/payment-link) for a link for the amount of
 * the conversation's open deal (else the agent types one), and sends it in the thread as a link
 * card: a button on WhatsApp, a card on Instagram, a link in the widget.
 */
function registerPaymentLink(client: NonNullable<typeof provider.client>): void {
  client.registerAction({
    id: 'payment-link',
    label: 'Payment link',
    // A glyph every font has: an emoji needs an emoji font, which many machines lack.
    icon: '$',
    async run(conversation) {
      const commerce = await client.request('contact.commerce', { contactId: conversation.contactId });
      const priced = commerce.openDeals.filter((deal) => deal.amount > 0);
      const deal = priced.find((d) => d.conversationId === conversation.id) ?? priced.toSorted((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
      let amount = deal?.amount;
      const currency = deal?.currency ?? 'MXN';
      if (!amount) {
        const typed = prompt(`Monto a cobrar (${currency})`);
        if (typed === null) return {};
        amount = Number(typed.replace(/[^\d.]/g, ''));
        if (!(amount > 0)) throw new Error('Escribe un monto mayor que cero');
      }
      const response = await fetch('/demo/payment-link', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ amount, currency, ...(deal ? { description: deal.title } : {}) }),
      });
      const answer = (await response.json()) as { url?: string; title?: string; error?: { message?: string } };
      if (!response.ok || !answer.url || !answer.title) throw new Error(answer.error?.message ?? `The payment API answered ${response.status}`);
      return { message: { body: `Aquí tienes tu link de pago: ${answer.url}`, link: { title: answer.title, url: answer.url } } };
    },
  });
}

async function start(): Promise<void> {
  const response = await fetch('/demo/config.json');
  if (!response.ok) throw new Error(`The server answered ${response.status}; start it with \`npm start\`.`);
  const config = (await response.json()) as DemoConfig;
  // `?agent=<id>` signs in as that agent of the demo workspace, with tokens the demo's host backend
  // signs for them (as a host does for its signed-in user); otherwise as the demo admin.
  const agentId = new URLSearchParams(location.search).get('agent');
  if (agentId) provider.tokenProvider = () => demoAgentToken(agentId);
  else provider.token = config.token;
  await provider.updateComplete;
  provider.client?.subscribe(showContact);
  if (provider.client) registerPaymentLink(provider.client);
  // The availability picker lives in the host's sidebar, outside the provider: hand it the client.
  document.querySelector('charla-presence')!.client = provider.client;
  showView();
  open(isView(location.hash.slice(1)) ? null : location.hash.slice(1) || null);
}

start().catch((error: unknown) => {
  const notice = document.querySelector<HTMLElement>('#demo-error')!;
  notice.textContent = `The demo could not start: ${(error as Error).message}`;
  notice.hidden = false;
});
