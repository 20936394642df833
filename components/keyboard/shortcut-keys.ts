/**
 * Single-key shortcuts (`a`, `j`, `?`…), decided without the DOM so they can be tested as plain data: which key a
 * keydown means, and when a key must be left alone (typing in a field, a modifier held, another widget's key).
 */

/** What the shortcut code needs of a keydown. */
export interface KeyPress {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** Already handled by someone else (a widget that uses the key). */
  defaultPrevented?: boolean;
  /** The element the key went to: `tagName` upper case, as the DOM gives it. */
  target: { tagName?: string; isContentEditable?: boolean; type?: string; role?: string | null } | null;
}

/** Input types that take no typed text: a letter pressed on them is not typing. */
const NON_TEXT_INPUTS = new Set(["button", "checkbox", "color", "file", "image", "radio", "range", "reset", "submit"]);
/** Roles of widgets that take letters themselves (type-ahead in a list box, a menu). */
const TYPING_ROLES = new Set([
  "textbox",
  "searchbox",
  "combobox",
  "listbox",
  "menu",
  "menubar",
  "spinbutton",
  "grid",
  "tree",
]);

/** True while someone is typing: in a text field, a text area, a select, an editable element or a widget that takes letters. */
export function isTypingTarget(target: KeyPress["target"]): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !NON_TEXT_INPUTS.has((target.type ?? "text").toLowerCase());
  return target.role ? TYPING_ROLES.has(target.role) : false;
}

/**
 * The shortcut a keydown asks for, or null: only a bare key (Shift is allowed, `?` needs it), never while typing,
 * never with Ctrl, Alt or Meta (the browser's and the screen reader's own keys), never when handled already.
 */
export function shortcutOf(event: KeyPress, keys: readonly string[]): string | null {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return null;
  if (isTypingTarget(event.target)) return null;
  return keys.includes(event.key) ? event.key : null;
}

/** The item to focus after `j` (next) or `k` (previous) from `current` (-1: none focused yet), clamped to the list. */
export function nextIndex(current: number, count: number, direction: "next" | "previous"): number | null {
  if (count === 0) return null;
  if (current < 0) return direction === "next" ? 0 : count - 1;
  return direction === "next" ? Math.min(current + 1, count - 1) : Math.max(current - 1, 0);
}
