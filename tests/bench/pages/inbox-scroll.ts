import '@charla/elements';
import { scrollFrames } from '../support/scroll-frames.js';
import type { Contact, Conversation } from '@charla/protocol';

const COUNT = 100_000;

function data(): { conversations: Conversation[]; contacts: Contact[] } {
  const now = Date.now();
  const contacts: Contact[] = [];
  const conversations: Conversation[] = [];
  const channels = ['whatsapp', 'instagram', 'webchat', 'email'] as const;
  for (let i = 0; i < COUNT; i++) {
    const at = new Date(now - i * 60_000).toISOString();
    contacts.push({
      id: `ct_${i}`, workspaceId: 'ws', name: `Cliente ${i}`, email: null, phone: null, avatarUrl: null,
      companyId: null, identities: [], createdAt: at, updatedAt: at,
    });
    conversations.push({
      id: `cv_${i}`, workspaceId: 'ws', contactId: `ct_${i}`, channel: channels[i % 4]!, status: 'open',
      priority: i % 7 === 0 ? 'high' : 'none', assigneeId: null, labels: i % 5 === 0 ? ['vip'] : [],
      lastMessagePreview: `Hola, ¿tienen disponible el producto ${i}?`, lastMessageAt: at,
      waitingSince: i % 3 === 0 ? at : null, firstReplyAt: null, unreadCount: i % 4, createdAt: at, updatedAt: at,
    });
  }
  return { conversations, contacts };
}

(window as unknown as { runBench: () => Promise<unknown> }).runBench = async () => {
  const { conversations, contacts } = data();
  const inbox = document.createElement('charla-inbox');
  inbox.style.cssText = 'display:flex;height:900px;width:400px';
  inbox.conversations = conversations;
  inbox.contacts = contacts;
  document.body.append(inbox);
  await inbox.updateComplete;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const list = inbox.shadowRoot!.querySelector<HTMLElement>('[part="list"]')!;
  return scrollFrames(inbox as unknown as HTMLElement & { update(changed: unknown): void }, list, '[role="option"]');
};
