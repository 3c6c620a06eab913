import { expect, waitUntil } from '@open-wc/testing';
import type { VisitorProfile } from '@charla/protocol';
import { readOptions, readableTextOn } from '../../packages/webchat/src/loader/options.js';
import type { CharlaApi } from '../../packages/webchat/src/loader.js';

// Mocha's globals, provided by web-test-runner.
declare function describe(name: string, body: () => void): void;
declare function it(name: string, body: () => Promise<void> | void): void;
declare function before(body: () => Promise<void> | void): void;

/** Every way a script could reach the network, recorded. */
const requests: string[] = [];
function watchNetwork(): void {
  const { fetch, WebSocket, EventSource } = window;
  window.fetch = (input, init) => (requests.push(`fetch ${String(input)}`), fetch(input, init));
  window.WebSocket = class extends WebSocket {
    constructor(url: string | URL, protocols?: string | string[]) {
      requests.push(`websocket ${String(url)}`);
      super(url, protocols);
    }
  };
  window.EventSource = class extends EventSource {
    constructor(url: string | URL, init?: EventSourceInit) {
      requests.push(`eventsource ${String(url)}`);
      super(url, init);
    }
  };
  const open = XMLHttpRequest.prototype.open as (...args: unknown[]) => void;
  XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, ...args: unknown[]) {
    requests.push(`xhr ${String(args[1])}`);
    open.apply(this, args);
  } as typeof XMLHttpRequest.prototype.open;
}
const panelRequested = () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/panel.ts'));


/** Stands in for the real chat element, which would connect to a Charla server. */
class FakeWebchat extends HTMLElement {
  workspace = '';
  server = '';
  greeting = '';
  dark: boolean | 'auto' = false;
  profiles: VisitorProfile[] = [];
  resets = 0;
  identify(profile: VisitorProfile) {
    this.profiles.push(profile);
  }
  reset() {
    this.resets++;
  }
}

const root = () => document.querySelector('charla-widget')!.shadowRoot!;
const launcher = () => root().querySelector<HTMLButtonElement>('.launcher')!;
const chat = () => root().querySelector('charla-webchat') as unknown as FakeWebchat | null;
let Charla: CharlaApi;

describe('widget.js loader', () => {
  before(async () => {
    // A first visit: nothing remembered from earlier pages of this origin (such as unread replies).
    localStorage.clear();
    const script = document.createElement('script');
    // Only read, never run: the import below plays the part of the async tag.
    script.type = 'text/plain';
    script.src = `${location.origin}/assets/widget.js`;
    Object.assign(script.dataset, { workspace: 'demo', position: 'left', locale: 'en', color: '#ffd400', greeting: 'Hi from Aurora' });
    document.head.append(script);
    window.charlaSettings = { panelUrl: '/packages/webchat/src/panel.ts', visitor: { name: 'Rui' } };
    watchNetwork();
    await import('../../packages/webchat/src/loader.js');
    Charla = window.Charla!;
  });

  it('draws an accessible launcher in its own shadow root and opens no connection', async () => {
    const host = document.querySelector('charla-widget')!;
    expect(host).to.exist;
    expect(host.shadowRoot).to.exist;
    expect(launcher().getAttribute('aria-label')).to.equal('Open chat');
    expect(launcher().getAttribute('aria-expanded')).to.equal('false');
    expect(launcher().querySelector('svg')).to.exist;
    expect(root().querySelector('.root')!.classList.contains('left')).to.be.true;
    // A yellow brand color gets dark text.
    expect(getComputedStyle(launcher()).color).to.equal('rgb(17, 17, 17)');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests).to.deep.equal([]);
    expect(panelRequested()).to.be.false;
    expect(chat()).to.be.null;
  });

  it('fires ready, also for a listener added after the launcher is drawn', async () => {
    let ready = false;
    Charla.on('ready', () => (ready = true));
    await waitUntil(() => ready);
  });

  it('loads the chat panel on the first open and mounts the chat with the script tag options', async () => {
    customElements.define('charla-webchat', FakeWebchat);
    const opened = new Promise<void>((resolve) => Charla.on('open', () => resolve()));
    Charla.open();
    await opened;
    expect(launcher().getAttribute('aria-expanded')).to.equal('true');
    expect(launcher().getAttribute('aria-label')).to.equal('Close chat');
    await waitUntil(() => chat(), 'the chat element is mounted');
    expect(panelRequested()).to.be.true;
    expect(chat()!.workspace).to.equal('demo');
    expect(chat()!.server).to.equal(location.origin);
    expect(chat()!.greeting).to.equal('Hi from Aurora');
    expect(chat()!.lang).to.equal('en');
    expect(chat()!.profiles).to.deep.equal([{ name: 'Rui' }]);
    expect(root().querySelector('[role="dialog"]')!.contains(chat())).to.be.true;
  });

  it('closes and toggles through window.Charla and when the chat asks to close', async () => {
    const closed = new Promise<void>((resolve) => Charla.on('close', () => resolve()));
    Charla.close();
    await closed;
    expect(launcher().getAttribute('aria-expanded')).to.equal('false');
    Charla.toggle();
    expect(launcher().getAttribute('aria-expanded')).to.equal('true');
    chat()!.dispatchEvent(new CustomEvent('charla-webchat-close', { bubbles: true, composed: true }));
    expect(launcher().getAttribute('aria-expanded')).to.equal('false');
  });

  it('counts business messages that arrive while the chat is closed', async () => {
    const counts: number[] = [];
    const messages: unknown[] = [];
    Charla.on('unread', (count) => counts.push(count));
    const off = Charla.on('message', (message) => messages.push(message));
    const deliver = (direction: 'in' | 'out') =>
      chat()!.dispatchEvent(new CustomEvent('charla-webchat-message', { detail: { message: { id: 'm', direction, body: 'Hi' } } }));
    deliver('out');
    deliver('in');
    deliver('out');
    expect(counts).to.deep.equal([1, 2]);
    expect(messages).to.have.length(3);
    expect(root().querySelector('.badge')!.textContent).to.equal('2');
    expect(launcher().getAttribute('aria-label')).to.equal('Open chat, 2 unread messages');
    Charla.open();
    expect(counts).to.deep.equal([1, 2, 0]);
    expect(root().querySelector<HTMLElement>('.badge')!.hidden).to.be.true;
    off();
    deliver('out');
    expect(messages).to.have.length(3);
    Charla.close();
  });

  it('shares the unread count with the site’s other tabs, and clears it for all when read here', async () => {
    const fromOtherTab = (value: string) =>
      window.dispatchEvent(new StorageEvent('storage', { key: 'charla:unread:demo', newValue: value }));
    fromOtherTab('3:1');
    expect(root().querySelector('.badge')!.textContent).to.equal('3');
    fromOtherTab('0:2');
    expect(root().querySelector<HTMLElement>('.badge')!.hidden).to.be.true;
    Charla.open();
    fromOtherTab('1:3');
    expect(root().querySelector<HTMLElement>('.badge')!.hidden, 'read in this open tab').to.be.true;
    expect(localStorage.getItem('charla:unread:demo')).to.match(/^0:/);
    Charla.close();
  });

  it('switches language, identifies and resets the visitor through window.Charla', () => {
    Charla.setLocale('es');
    expect(launcher().getAttribute('aria-label')).to.equal('Abrir chat');
    Charla.identify({ email: 'rui@example.com' });
    Charla.reset();
    return waitUntil(() => chat()!.lang === 'es' && chat()!.resets === 1 && chat()!.profiles.length === 2);
  });
});

describe('widget.js options', () => {
  const tag = (attributes: Record<string, string>) => {
    const script = document.createElement('script');
    script.src = 'https://chat.aurora.test/charla/widget.js?v=3';
    Object.assign(script.dataset, attributes);
    return script;
  };

  it('reads data-* attributes and resolves the server and panel from the script src', () => {
    const options = readOptions(tag({ workspace: 'k1', position: 'left', dark: 'auto', launcherText: 'Chat with us' }));
    expect(options).to.include({
      workspace: 'k1', position: 'left', dark: 'auto', launcherText: 'Chat with us',
      server: 'https://chat.aurora.test', panelUrl: 'https://chat.aurora.test/charla/widget-panel.js',
    });
    expect(readOptions(tag({ workspace: 'k1', dark: '' })).dark).to.be.true;
    expect(readOptions(tag({ workspace: 'k1', position: 'top' })).position).to.equal('right');
  });

  it('lets window.charlaSettings override the script tag', () => {
    const options = readOptions(tag({ workspace: 'k1', color: '#000' }), { workspace: 'k2', color: 'teal', server: 'https://api.aurora.test/x', dark: true });
    expect(options).to.include({ workspace: 'k2', color: 'teal', server: 'https://api.aurora.test', dark: true });
  });

  it('picks black or white text for the brand color, whichever reads better', () => {
    expect(readableTextOn('#4f46e5')).to.equal('#fff');
    expect(readableTextOn('#ffd400')).to.equal('#111');
    expect(readableTextOn('#FFF')).to.equal('#111');
    expect(readableTextOn('rebeccapurple')).to.be.undefined;
  });
});

