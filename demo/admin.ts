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
const lang = document.querySelector<HTMLSelectElement>('#lang')!;

function open(conversationId: string | null): void {
  thread.conversationId = conversationId;
  inbox.selected = conversationId;
  showContact();
}

/** The profile follows the open conversation (also once a deep-linked one has loaded). */
function showContact(): void {
  const id = thread.conversationId;
  const contactId = (id && provider.client?.conversation(id)?.contactId) || null;
  if (contactPanel.contactId !== contactId) contactPanel.contactId = contactId;
}

inbox.addEventListener('charla-conversation-select', (event) => {
  open(event.detail.conversationId);
  history.replaceState(null, '', `#${event.detail.conversationId}`);
});

lang.value = document.documentElement.lang;
lang.addEventListener('change', () => (document.documentElement.lang = lang.value));

async function start(): Promise<void> {
  const response = await fetch('/demo/config.json');
  if (!response.ok) throw new Error(`The server answered ${response.status}; start it with \`npm start\`.`);
  const config = (await response.json()) as DemoConfig;
  provider.token = config.token;
  await provider.updateComplete;
  provider.client?.subscribe(showContact);
  open(location.hash.slice(1) || null);
}

start().catch((error: unknown) => {
  const notice = document.querySelector<HTMLElement>('#demo-error')!;
  notice.textContent = `The demo could not start: ${(error as Error).message}`;
  notice.hidden = false;
});
