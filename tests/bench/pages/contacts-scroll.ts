import '@charla/elements/contacts.js';
import { scrollFrames } from '../support/scroll-frames.js';
import type { DirectoryContact } from '@charla/protocol';

const COUNT = 100_000;

function data(): DirectoryContact[] {
  const now = Date.now();
  return Array.from({ length: COUNT }, (_, i) => {
    const at = new Date(now - i * 60_000).toISOString();
    return {
      id: `ct_${i}`, workspaceId: 'ws', name: `Cliente ${i}`, email: `cliente${i}@example.com`, phone: `+5255${String(10_000_000 + i)}`,
      avatarUrl: null, companyId: null, identities: [], tags: i % 5 === 0 ? ['vip', 'mayorista'] : [], attributes: {},
      createdAt: at, updatedAt: at, ownerId: null, companyName: i % 3 === 0 ? `Empresa ${i % 500}` : null, ltv: (i % 97) * 130,
      lastInteractionAt: i % 2 ? at : null, openDeals: i % 4,
    };
  });
}

(window as unknown as { runBench: () => Promise<unknown> }).runBench = async () => {
  const contacts = data();
  const table = document.createElement('charla-contacts');
  table.style.cssText = 'display:flex;height:900px;width:1280px';
  table.contacts = contacts;
  document.body.append(table);
  await table.updateComplete;
  await new Promise((resolve) => requestAnimationFrame(resolve));
  const scroller = table.shadowRoot!.querySelector<HTMLElement>('[part="table"]')!;
  return scrollFrames(table as unknown as HTMLElement & { update(changed: unknown): void }, scroller, '[part~="row"]');
};
