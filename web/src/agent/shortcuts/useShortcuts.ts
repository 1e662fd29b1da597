import { useEffect, useLayoutEffect, useRef } from 'react';

/** A handler may return false to let the browser keep the key (for example Enter on a focused button). */
export type ShortcutHandler = (event: KeyboardEvent) => void | false;

/** Where a key press is text input or belongs to an open dialog, never a shortcut. */
function belongsElsewhere(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return !!target.closest('input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"], [role="listbox"]');
}

/**
 * Single-key shortcuts (j, k, r, n, ?) on the whole document, ignored while the agent types in a
 * field or works in a dialog, and when a modifier is held (so browser shortcuts keep working).
 */
export function useShortcuts(handlers: Record<string, ShortcutHandler>, enabled = true) {
  const latest = useRef(handlers);
  // The listener stays attached; it always calls the handlers of the latest render.
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || belongsElsewhere(event.target)) return;
      const handler = latest.current[event.key];
      if (handler && handler(event) !== false) event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [enabled]);
}

/** True when Enter lands on something that already acts on Enter itself. */
export const isInteractive = (target: EventTarget | null) => target instanceof HTMLElement && !!target.closest('a, button, [role="button"], [role="menuitem"]');
