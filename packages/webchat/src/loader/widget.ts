import type { VisitorIdentity, VisitorMessage } from '@charla/protocol';
import type { CharlaWebchat } from '../webchat.component.js';
import { LAUNCHER_STRINGS, resolveLocale } from '../i18n.js';
import { chatIcon, chevronIcon } from './icons.js';
import { readableTextOn, type WidgetOptions } from './options.js';
import { loaderStyles } from './styles.js';

/** What `Charla.on(event, callback)` passes to the callback. */
export interface CharlaEventMap {
  /** The launcher is on the page. */
  ready: undefined;
  open: undefined;
  close: undefined;
  /** A message newly stored in the conversation, from either side. */
  message: VisitorMessage;
  /** Business messages that arrived while the chat was closed (0 again once opened). */
  unread: number;
}
export type CharlaEventName = keyof CharlaEventMap;
type Callback<E extends CharlaEventName> = (detail: CharlaEventMap[E]) => void;

/** `window.Charla`: the host page's handle on the widget. */
export interface CharlaApi {
  open(): void;
  close(): void;
  toggle(): void;
  /** Subscribes to a widget event; returns the unsubscribe function. `ready` also fires for late subscribers. */
  on<E extends CharlaEventName>(event: E, callback: Callback<E>): () => void;
  off<E extends CharlaEventName>(event: E, callback: Callback<E>): void;
  /** Switches the widget's language (`es`, `en`, `pt`). */
  setLocale(locale: string): void;
  /**
   * Tells the business who the visitor is: `{id, name, email, phone, hash}` with
   * hash = HMAC-SHA256(workspace secret, id) from the site's server (sent once the chat
   * connects; opens no connection by itself).
   */
  identify(identity: VisitorIdentity): void;
  /** Forgets the visitor on this device (e.g. when they log out of the host site). */
  reset(): void;
}

export interface Widget {
  api: CharlaApi;
  /** Draws the launcher (needs `document.body`). */
  mount(): void;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

/**
 * The launcher and the frame the chat opens in. Everything heavy (Lit, socket.io, the panel) is
 * imported on the first open, so a page whose visitor never opens the chat never connects.
 * Plain closures rather than a class: it keeps this always-loaded script small.
 */
export function createWidget(options: WidgetOptions): Widget {
  const { workspace, position, color, dark, launcherText } = options;
  const listeners = new Map<CharlaEventName, Set<Callback<never>>>();
  let locale = options.locale;
  let profile = options.visitor;
  let isOpen = false;
  let ready = false;
  let unread = 0;
  let chat: Promise<CharlaWebchat> | undefined;

  // A shadow root: the page's CSS cannot reach the launcher, ours cannot reach the page. It is
  // open so that site owners can inspect it and tests can drive it; isolation is the same.
  const host = document.createElement('charla-widget');
  // Page rules that match the host element itself (`* {…}`, `body > *`) are neutralized.
  host.style.cssText = 'all: initial !important';
  const root = host.attachShadow({ mode: 'open' });
  const frame = element('div', `root ${position}${dark === 'auto' ? ' auto' : dark ? ' dark' : ''}`);
  const panel = element('div', 'panel');
  const launcher = element('button', 'launcher');
  const badge = element('span', 'badge');
  const style = element('style', '');
  style.textContent = loaderStyles;
  if (color) {
    frame.style.setProperty('--charla-webchat-primary', color);
    const onColor = readableTextOn(color);
    if (onColor) frame.style.setProperty('--charla-webchat-on-primary', onColor);
  }
  panel.id = 'charla-panel';
  launcher.type = 'button';
  launcher.setAttribute('aria-controls', panel.id);
  launcher.innerHTML = `<span class="icon">${chatIcon}${chevronIcon}</span>`;
  if (launcherText) launcher.append(Object.assign(element('span', 'label'), { textContent: launcherText }));
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  launcher.append(badge);
  launcher.addEventListener('click', () => api.toggle());
  frame.append(panel, launcher);
  root.append(style, frame);

  const strings = () => LAUNCHER_STRINGS[resolveLocale(locale, document.documentElement.lang, navigator.language)];

  const emit = <E extends CharlaEventName>(event: E, detail: CharlaEventMap[E]) => {
    for (const callback of listeners.get(event) ?? []) {
      try {
        (callback as Callback<E>)(detail);
      } catch (error) {
        // A failing host callback must not break the widget or the other listeners.
        console.error(error);
      }
    }
  };

  /** The launcher's accessible name contains its visible text (WCAG "label in name"). */
  const renderLabels = () => {
    const words = strings();
    const name = isOpen ? words.close : (launcherText ?? words.open);
    launcher.setAttribute('aria-label', unread ? `${name}, ${words.unread(unread)}` : name);
    launcher.setAttribute('aria-expanded', String(isOpen));
    panel.setAttribute('aria-label', words.panel);
  };

  const setOpen = (open: boolean) => {
    isOpen = open;
    frame.classList.toggle('open', open);
    renderLabels();
  };

  // The unread count is shared by the site's tabs through localStorage, as `count:time` (the time
  // makes every write an event for the other tabs). A tab with the chat open keeps it at 0.
  const unreadKey = `charla:unread:${workspace}`;
  const store = (count: number) => {
    try {
      localStorage.setItem(unreadKey, `${count}:${Date.now()}`);
    } catch {
      // Storage disabled: each tab counts on its own.
    }
  };
  const stored = (value: string | null) => parseInt(value ?? '', 10) || 0;

  const setUnread = (count: number, share = true) => {
    if (share) store(count);
    if (count === unread) return;
    unread = count;
    badge.hidden = count === 0;
    badge.textContent = count > 9 ? '9+' : String(count);
    renderLabels();
    emit('unread', count);
  };

  const showPanel = (state: 'loading' | 'failed' | 'ready') => {
    panel.className = state === 'ready' ? 'panel' : `panel ${state}`;
    panel.setAttribute('role', state === 'failed' ? 'alert' : 'dialog');
  };

  /** Imports the panel module (once) and mounts `<charla-webchat>` in the frame. */
  const mountChat = async (): Promise<CharlaWebchat> => {
    showPanel('loading');
    panel.textContent = '';
    await import(/* @vite-ignore */ options.panelUrl);
    const webchat = document.createElement('charla-webchat');
    webchat.workspace = workspace;
    webchat.server = options.server;
    webchat.dark = dark;
    if (options.greeting) webchat.greeting = options.greeting;
    if (locale) webchat.lang = locale;
    if (profile) webchat.identify(profile);
    webchat.addEventListener('charla-webchat-close', () => api.close());
    webchat.addEventListener('charla-webchat-message', ({ detail: { message } }) => {
      if (message.direction === 'out') setUnread(isOpen ? 0 : unread + 1);
      emit('message', message);
    });
    showPanel('ready');
    panel.append(webchat);
    return webchat;
  };

  const loadChat = () =>
    (chat ??= mountChat().catch((error: unknown) => {
      chat = undefined;
      throw error;
    }));

  const api: CharlaApi = {
    open() {
      if (isOpen) return;
      setOpen(true);
      setUnread(0);
      emit('open', undefined);
      loadChat().then(
        (webchat) => {
          // Full screen on phones: focus stays in the chat until it closes.
          webchat.modal = matchMedia('(max-width: 640px)').matches;
          if (isOpen) webchat.focus();
        },
        (error: unknown) => {
          console.error('Charla: the chat panel could not be loaded', error);
          showPanel('failed');
          panel.textContent = strings().loadFailed;
        },
      );
    },
    close() {
      if (!isOpen) return;
      const focusInPanel = root.activeElement !== null && root.activeElement !== launcher;
      setOpen(false);
      if (focusInPanel) launcher.focus();
      emit('close', undefined);
    },
    toggle() {
      if (isOpen) api.close();
      else api.open();
    },
    on(event, callback) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(callback as Callback<never>);
      if (event === 'ready' && ready) queueMicrotask(() => (callback as Callback<'ready'>)(undefined));
      return () => api.off(event, callback);
    },
    off(event, callback) {
      listeners.get(event)?.delete(callback as Callback<never>);
    },
    setLocale(next) {
      locale = next;
      renderLabels();
      void chat?.then((webchat) => (webchat.lang = next));
    },
    identify(details) {
      profile = { ...profile, ...details };
      void chat?.then((webchat) => webchat.identify(details));
    },
    reset() {
      profile = undefined;
      setUnread(0);
      if (chat) {
        void chat.then((webchat) => webchat.reset());
        return;
      }
      // Not loaded yet: forget the visitor without loading anything (the keys @charla/client's VisitorClient uses).
      try {
        localStorage.removeItem(`charla:visitor:${workspace}`);
        localStorage.removeItem(`charla:outbox:visitor:${workspace}`);
      } catch {
        // Storage disabled: nothing was remembered either.
      }
    },
  };

  addEventListener('storage', (event) => {
    if (event.key !== unreadKey) return;
    // Another tab counted a message; if this one shows the chat, it was read here.
    const count = stored(event.newValue);
    if (!isOpen) setUnread(count, false);
    else if (count) setUnread(0);
  });

  return {
    api,
    mount() {
      let pending = 0;
      try {
        pending = stored(localStorage.getItem(unreadKey));
      } catch {
        // Storage disabled: nothing pending is known.
      }
      setUnread(pending, false);
      // A returning visitor with an unanswered reply: connect now to keep the count live.
      if (pending) loadChat().catch(() => undefined);
      // Asked to hide while no one can answer: one small request to know (the only one before opening).
      if (options.hideWhenOffline) {
        fetch(`${options.server}/widget/availability/${encodeURIComponent(workspace)}`)
          .then((response) => response.json())
          .then((availability: { agentsOnline: boolean; withinHours: boolean }) => {
            launcher.hidden = !isOpen && !(availability.agentsOnline && availability.withinHours);
          })
          .catch(() => undefined);
      }
      renderLabels();
      document.body.append(host);
      ready = true;
      emit('ready', undefined);
    },
  };
}
