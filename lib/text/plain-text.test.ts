import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plainLine, plainText } from "./plain-text";

const RLO = "\u202E";
const PDF = "\u202C";
const LRI = "\u2066";
const PDI = "\u2069";

describe("plainText", () => {
  it("removes direction overrides and isolates, so text reads in the order it is stored", () => {
    // the override displays the stored words reversed, so what a reviewer reads is not what is stored
    expect(plainText(`Keep the price ${RLO}eciffo eht llac${PDF} visible.`)).toBe(
      "Keep the price eciffo eht llac visible.",
    );
    expect(plainText(`a${LRI}b${PDI}c`)).toBe("abc");
  });

  it("removes terminal escape sequences whole and other controls, keeping paragraphs and tabs", () => {
    expect(plainText("Title\u001b[31m red\u0007\r\n\tNext line\rlast\u0085")).toBe("Title red\n\tNext line\nlast");
    expect(plainText("Meet the \u001b]8;;http://evil\u0007grinder\u001b]8;;\u0007\u001b[2J")).toBe("Meet the grinder");
  });

  it("keeps left-to-right and right-to-left marks, and every printable character", () => {
    const text = "Prix : 249 €\u200F — שלום\u200E world 🎉";
    expect(plainText(text)).toBe(text);
  });

  it("is idempotent and never leaves a control or override behind (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (text) => {
        const clean = plainText(text);
        expect(plainText(clean)).toBe(clean);
        expect(clean).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/);
      }),
    );
  });
});

describe("plainLine", () => {
  it("turns line breaks, tabs and controls into single spaces", () => {
    expect(plainLine(`Ada\nLovelace\t${RLO}\u2028x`)).toBe("Ada Lovelace x");
  });
});
