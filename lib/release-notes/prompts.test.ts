import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { draftPrompt, parseDraftPrompt, parseRevisionPrompt, revisionPrompt } from "./prompts";

/** Texts that could confuse a parser: the markers themselves, markdown, unicode, whitespace at the ends, 20,000 characters. */
const TRICKY_TEXTS = [
  "Dark mode is now available.",
  "",
  "# Release 2.0\n\n## What's new\n- **Dark mode**\n- `--json` output\n\n> quoted",
  "Our BRIEF: is to ship. BRIEF: again.",
  "Previous draft: old text. Human guidance: make it shorter",
  "Human guidance: at the very start",
  "Ünïcödé ✨ 🎉 日本語のテキスト עברית café\u200b naïve",
  "  padded at both ends \n",
  "\n\nstarts with blank lines",
  "ends with blank lines\n\n\n",
  "tabs\tand\r\nCRLF\r\n",
  "$& $1 ${x} (.*) [a-z]+ \\ regex and template characters",
  `${".!".repeat(9_999)}go`,
  "x".repeat(20_000),
  `${"word ".repeat(3_999)}end.`,
];

/** Any text, made likely to hold the markers, line breaks and unicode. */
const anyText = fc
  .array(
    fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 20 }),
      fc.constantFrom(
        "BRIEF:",
        "BRIEF: ",
        "Previous draft:",
        "Human guidance:",
        "\n",
        "\n\n",
        " ",
        "\t",
        "\r\n",
        "# ",
        "é",
        "🎉",
      ),
    ),
    { maxLength: 12 },
  )
  .map((parts) => parts.join(""));

describe("release-notes prompts", () => {
  it("are worded as SPEC §9 gives them", () => {
    expect(draftPrompt("Ship it.")).toBe(
      "You are drafting product release notes. Summarize the brief below in two sentences. " +
        "Keep it positive and end with a call to action.\n\nBRIEF: Ship it.",
    );
    expect(revisionPrompt("Old draft.", "Make it shorter.")).toBe(
      "Revise the launch note. Respond with the new copy only.\n\nPrevious draft:\nOld draft.\n\nHuman guidance: Make it shorter.",
    );
  });

  describe("parseDraftPrompt", () => {
    it.each(TRICKY_TEXTS.map((text) => [text.slice(0, 40), text]))("gives back the brief %j", (_label, brief) => {
      expect(parseDraftPrompt(draftPrompt(brief))).toEqual({ brief });
    });

    it("gives back any brief", () => {
      fc.assert(
        fc.property(anyText, (brief) => {
          expect(parseDraftPrompt(draftPrompt(brief))).toEqual({ brief });
        }),
      );
    });

    it("reads a hand-written prompt after its marker, and nothing without one", () => {
      expect(parseDraftPrompt("BRIEF: Ship it.")).toEqual({ brief: "Ship it." });
      expect(parseDraftPrompt("note BRIEF:no space")).toEqual({ brief: "no space" });
      expect(parseDraftPrompt("Just a message.")).toBeUndefined();
      expect(parseDraftPrompt(revisionPrompt("Old draft.", "Shorter."))).toBeUndefined();
    });
  });

  describe("parseRevisionPrompt", () => {
    it.each(TRICKY_TEXTS.map((text) => [text.slice(0, 40), text]))(
      "gives back the draft and the guidance %j",
      (_label, text) => {
        const other = "Tighten the copy and emphasize customer benefit.";
        expect(parseRevisionPrompt(revisionPrompt(text, other))).toEqual({ draft: text, guidance: other });
        expect(parseRevisionPrompt(revisionPrompt(other, text))).toEqual({ draft: other, guidance: text });
        expect(parseRevisionPrompt(revisionPrompt(text, text))).toEqual({ draft: text, guidance: text });
      },
    );

    it("gives back any guidance, and any draft without a later line starting with the guidance marker", () => {
      fc.assert(
        fc.property(anyText, anyText, (draft, guidance) => {
          fc.pre(!/\n[ \t]*Human guidance:/.test(draft));
          expect(parseRevisionPrompt(revisionPrompt(draft, guidance))).toEqual({ draft, guidance });
        }),
      );
    });

    it("splits at the first line that starts with the guidance marker: the guidance may hold such a line, a draft cannot", () => {
      expect(parseRevisionPrompt(revisionPrompt("Line one.\nHuman guidance: in the draft", "Shorter."))).toEqual({
        draft: "Line one.\n",
        guidance: "in the draft\n\nHuman guidance: Shorter.",
      });
      const guidance = "Shorter.\n\nHuman guidance: and warmer.\nPrevious draft:\nnone";
      expect(parseRevisionPrompt(revisionPrompt("Line one.", guidance))).toEqual({ draft: "Line one.", guidance });
    });

    it("reads a hand-written prompt, and nothing without both markers", () => {
      expect(parseRevisionPrompt("Previous draft:\nOld.\n  \tHuman guidance: indented")).toEqual({
        draft: "Old.\n  \t",
        guidance: "indented",
      });
      expect(parseRevisionPrompt("Previous draft:\nHuman guidance: empty draft")).toEqual({
        draft: "",
        guidance: "empty draft",
      });
      expect(parseRevisionPrompt("Previous draft:\nOld. Human guidance: not at a line start")).toBeUndefined();
      expect(parseRevisionPrompt("Human guidance: no draft")).toBeUndefined();
      expect(parseRevisionPrompt(draftPrompt("Ship it."))).toBeUndefined();
    });
  });
});
