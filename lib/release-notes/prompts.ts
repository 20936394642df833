/**
 * Every text the workflow sends, word for word as SPEC §9 gives them, and the parsers that read the two writer
 * prompts back (the offline writer answers them). Builders and parsers share the constants below, so a prompt's
 * wording is changed here, once, and its parser follows; prompts.test.ts round-trips both.
 */
export const WRITER_INSTRUCTIONS = "Write concise, warm release notes that sound human and helpful.";
export const REVIEW_PROMPT = "Review the draft. Reply 'approve' or provide edit instructions.";
export const DEFAULT_GUIDANCE = "Tighten the copy and emphasize customer benefit.";

const DRAFT_PREAMBLE =
  "You are drafting product release notes. Summarize the brief below in two sentences. Keep it positive and end with a call to action.";
const BRIEF_MARKER = "BRIEF:";
const REVISION_PREAMBLE = "Revise the launch note. Respond with the new copy only.";
const DRAFT_HEADING = "Previous draft:";
const GUIDANCE_MARKER = "Human guidance:";
/** Between a preamble and what follows, and between the draft and the guidance marker. */
const SECTION_BREAK = "\n\n";
/** Between a heading and the draft under it. */
const LINE_BREAK = "\n";
/** Between a marker and the text on its line. */
const MARKER_GAP = " ";

export function draftPrompt(brief: string): string {
  return `${DRAFT_PREAMBLE}${SECTION_BREAK}${BRIEF_MARKER}${MARKER_GAP}${brief}`;
}

export function revisionPrompt(draft: string, guidance: string): string {
  return `${REVISION_PREAMBLE}${SECTION_BREAK}${DRAFT_HEADING}${LINE_BREAK}${draft}${SECTION_BREAK}${GUIDANCE_MARKER}${MARKER_GAP}${guidance}`;
}

/**
 * The brief of a draft prompt: the text after the first `BRIEF:` (after the preamble, when the prompt starts
 * with it), less the one space {@link draftPrompt} puts after the marker. So `parseDraftPrompt(draftPrompt(b))`
 * is `{ brief: b }` for every brief, whatever it says; undefined for a prompt without the marker. A
 * hand-written prompt (a test's, a script's) is read the same way: the marker may stand anywhere.
 */
export function parseDraftPrompt(prompt: string): { brief: string } | undefined {
  const at = prompt.indexOf(BRIEF_MARKER, afterPreamble(prompt, DRAFT_PREAMBLE));
  if (at === -1) return undefined;
  return { brief: withoutPrefix(prompt.slice(at + BRIEF_MARKER.length), MARKER_GAP) };
}

/**
 * The previous draft and the guidance of a revision prompt: the text after the first `Previous draft:` up to
 * the first `Human guidance:` that starts a later line (after spaces or tabs), and the text after that marker,
 * less the breaks and the space {@link revisionPrompt} puts around them. So `parseRevisionPrompt(revisionPrompt(d, g))`
 * is `{ draft: d, guidance: g }` for every guidance and every draft but one with a line, other than its first,
 * that starts with `Human guidance:` (the format cannot tell that line from the real marker; the draft is the
 * model's, the guidance the reviewer's). Undefined when either marker is missing.
 *
 * The draft's first line break belongs to its heading, so the guidance marker is looked for after it first,
 * and only then right at it. Found with `indexOf`, not a `[\s\S]*?` regex, so a long prompt without the
 * marker is scanned once, not once per character.
 */
export function parseRevisionPrompt(prompt: string): { draft: string; guidance: string } | undefined {
  const at = prompt.indexOf(DRAFT_HEADING, afterPreamble(prompt, REVISION_PREAMBLE));
  if (at === -1) return undefined;
  const draftStart = at + DRAFT_HEADING.length;
  const guidanceAt =
    findLineStartMarker(prompt, skipHeadingBreak(prompt, draftStart)) ?? findLineStartMarker(prompt, draftStart);
  if (guidanceAt === undefined) return undefined;
  return {
    draft: withoutSuffix(withoutPrefix(prompt.slice(draftStart, guidanceAt), LINE_BREAK), SECTION_BREAK),
    guidance: withoutPrefix(prompt.slice(guidanceAt + GUIDANCE_MARKER.length), MARKER_GAP),
  };
}

/** Where to look for a prompt's first marker: after its preamble when it starts with it, else from the start. */
function afterPreamble(prompt: string, preamble: string): number {
  return prompt.startsWith(preamble) ? preamble.length : 0;
}

/** The index after the spaces, tabs and (at most one) newline that follow a heading ending at `from`. */
function skipHeadingBreak(text: string, from: number): number {
  let at = from;
  while (text.charAt(at) === " " || text.charAt(at) === "\t") at++;
  return text.charAt(at) === "\n" ? at + 1 : at;
}

/** The first `Human guidance:` after `from` with a newline (at or after `from`) and only spaces or tabs between them. */
function findLineStartMarker(text: string, from: number): number | undefined {
  for (let at = text.indexOf(GUIDANCE_MARKER, from); at !== -1; at = text.indexOf(GUIDANCE_MARKER, at + 1)) {
    let start = at;
    while (start > from && (text.charAt(start - 1) === " " || text.charAt(start - 1) === "\t")) start--;
    if (start > from && text.charAt(start - 1) === "\n") return at;
  }
  return undefined;
}

function withoutPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

function withoutSuffix(text: string, suffix: string): string {
  return text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
}
