import '@charla/elements';
import type { DirectoryContact } from '@charla/protocol';

const COUNT = 100_000;
const FRAMES = 600;

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
  // The component's own render cost per update, apart from the browser's style/layout/paint.
  const renders: number[] = [];
  const render = Object.getPrototypeOf(table).update as (changed: unknown) => void;
  (table as unknown as { update: (changed: unknown) => void }).update = function (this: HTMLElement, changed: unknown) {
    const start = performance.now();
    render.call(this, changed);
    renders.push(performance.now() - start);
  };
  const frames: number[] = [];
  let maxRows = 0;
  let last = performance.now();
  await new Promise<void>((resolve) => {
    let frame = 0;
    const step = (now: number) => {
      frames.push(now - last);
      last = now;
      maxRows = Math.max(maxRows, table.shadowRoot!.querySelectorAll('[part~="row"]').length);
      // Brisk wheel scrolling: 120 px per frame, 7,200 px/s.
      scroller.scrollTop += 120;
      if (++frame < FRAMES) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  return { frames: frames.slice(5), renders, maxRows, scrolled: scroller.scrollTop };
};
