// 7. Moving between screens: each opens at the top with keyboard focus on its heading, and the sticky
// search sits under the top bar however many rows the bar wraps into.
import { tick } from "svelte";

/** After a view change: scroll to the top and put focus on the new screen's first heading. */
export async function arriveAt(doc: Document = document): Promise<HTMLElement | null> {
  await tick();
  doc.defaultView?.scrollTo?.(0, 0);
  doc.scrollingElement?.scrollTo?.(0, 0);
  const heading = doc.querySelector<HTMLElement>("main h1, main h2");
  if (!heading) return null;
  if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
  heading.focus({ preventScroll: true });
  return heading;
}

/** Svelte action: keeps `--topbar-h` equal to the bar's real height (one row at 900 px, two at 360 px). */
export function measureTopbar(node: HTMLElement) {
  const set = () => document.documentElement.style.setProperty("--topbar-h", `${Math.ceil(node.getBoundingClientRect().height)}px`);
  set();
  const ro = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(set);
  ro?.observe(node);
  return { destroy: () => ro?.disconnect() };
}
