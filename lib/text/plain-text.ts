/**
 * Text that people and models write, made safe to show and to print: control characters and the Unicode
 * bidirectional embeddings, overrides and isolates are removed. Those reorder how text reads without changing
 * what it says (a name that displays as "Ada" but is stored otherwise; guidance whose visible order hides an
 * instruction: "Trojan Source", CVE-2021-42574), and control characters can drive a terminal.
 *
 * Kept: line breaks and tabs (drafts and guidance have paragraphs) and the left-to-right / right-to-left marks
 * (U+200E, U+200F, U+061C), which only nudge neutral characters and are needed to write mixed-direction text.
 */

import { stripVTControlCharacters } from "node:util";

// C0 controls but tab and line feed; DEL; C1 controls; embeddings and overrides (U+202A-202E); isolates (U+2066-2069)
const HIDDEN_CONTROLS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// the same, with tab, line feed and the Unicode line and paragraph separators
const LINE_BREAKS_AND_CONTROLS = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u2028\u2029]+/g;

/**
 * Multi-line text (drafts, guidance) without controls and direction overrides; CRLF and CR become LF. Terminal
 * escape sequences go whole (`ESC [2J`, OSC 8 links), not just their ESC, so no `[2J` is left behind.
 */
export function plainText(text: string): string {
  return stripVTControlCharacters(text).replace(/\r\n?/g, "\n").replace(HIDDEN_CONTROLS, "");
}

/** One-line text (names) without controls, direction overrides or line breaks; each run of them becomes one space. */
export function plainLine(text: string): string {
  return stripVTControlCharacters(text).replace(LINE_BREAKS_AND_CONTROLS, " ");
}
