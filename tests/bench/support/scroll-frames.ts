/**
 * Browser side of the scroll benchmarks: scrolls `scroller` of `host` by 120 px a frame (brisk
 * wheel scrolling, 7,200 px/s) for `frames` frames, timing each frame, counting the rows matching
 * `rows` in its shadow root, and timing the host's own `update()` (its render cost apart from the
 * browser's style, layout and paint).
 */
export async function scrollFrames(
  host: HTMLElement & { update(changed: unknown): void },
  scroller: HTMLElement,
  rows: string,
  frames = 600,
): Promise<{ frames: number[]; renders: number[]; maxRows: number; scrolled: number }> {
  const renders: number[] = [];
  const render = Object.getPrototypeOf(host).update as (changed: unknown) => void;
  host.update = function (this: HTMLElement, changed: unknown) {
    const start = performance.now();
    render.call(this, changed);
    renders.push(performance.now() - start);
  };
  const times: number[] = [];
  let maxRows = 0;
  let last = performance.now();
  await new Promise<void>((resolve) => {
    let frame = 0;
    const step = (now: number) => {
      times.push(now - last);
      last = now;
      maxRows = Math.max(maxRows, host.shadowRoot!.querySelectorAll(rows).length);
      scroller.scrollTop += 120;
      if (++frame < frames) requestAnimationFrame(step);
      else resolve();
    };
    requestAnimationFrame(step);
  });
  return { frames: times.slice(5), renders, maxRows, scrolled: scroller.scrollTop };
}
