import { describe, expect, it } from "vitest";
import { isTypingTarget, nextIndex, shortcutOf, type KeyPress } from "./shortcut-keys";

const press = (
  key: string,
  target: KeyPress["target"] = { tagName: "BODY" },
  extra: Partial<KeyPress> = {},
): KeyPress => ({ key, altKey: false, ctrlKey: false, metaKey: false, target, ...extra });
const KEYS = ["a", "e", "r", "?"];

describe("shortcutOf", () => {
  it("answers the key pressed on the page outside any field", () => {
    expect(shortcutOf(press("a"), KEYS)).toBe("a");
    expect(shortcutOf(press("?", { tagName: "BUTTON" }), KEYS)).toBe("?");
    expect(shortcutOf(press("a", { tagName: "A" }), KEYS)).toBe("a");
  });

  it("does nothing while someone types in a text field, a text area, a select or an editable element", () => {
    for (const target of [
      { tagName: "TEXTAREA" },
      { tagName: "INPUT", type: "text" },
      { tagName: "INPUT" },
      { tagName: "INPUT", type: "number" },
      { tagName: "SELECT" },
      { tagName: "DIV", isContentEditable: true },
      { tagName: "DIV", role: "combobox" },
    ]) {
      expect(shortcutOf(press("a", target), KEYS), JSON.stringify(target)).toBeNull();
    }
  });

  it("still works on inputs that take no text, such as a checkbox", () => {
    expect(shortcutOf(press("r", { tagName: "INPUT", type: "checkbox" }), KEYS)).toBe("r");
  });

  it("leaves keys with Ctrl, Alt or Meta to the browser and the screen reader, and keys already handled", () => {
    expect(shortcutOf(press("a", undefined, { ctrlKey: true }), KEYS)).toBeNull();
    expect(shortcutOf(press("a", undefined, { altKey: true }), KEYS)).toBeNull();
    expect(shortcutOf(press("a", undefined, { metaKey: true }), KEYS)).toBeNull();
    expect(shortcutOf(press("a", undefined, { defaultPrevented: true }), KEYS)).toBeNull();
  });

  it("ignores keys that are not shortcuts, and is case-sensitive (Shift+A is not a)", () => {
    expect(shortcutOf(press("x"), KEYS)).toBeNull();
    expect(shortcutOf(press("A"), KEYS)).toBeNull();
  });
});

describe("isTypingTarget", () => {
  it("is false without a target", () => {
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe("nextIndex", () => {
  it("starts at the first item going down and at the last going up", () => {
    expect(nextIndex(-1, 3, "next")).toBe(0);
    expect(nextIndex(-1, 3, "previous")).toBe(2);
  });

  it("moves one item and stops at either end", () => {
    expect(nextIndex(0, 3, "next")).toBe(1);
    expect(nextIndex(2, 3, "next")).toBe(2);
    expect(nextIndex(1, 3, "previous")).toBe(0);
    expect(nextIndex(0, 3, "previous")).toBe(0);
  });

  it("has nowhere to go in an empty list", () => {
    expect(nextIndex(-1, 0, "next")).toBeNull();
  });
});
