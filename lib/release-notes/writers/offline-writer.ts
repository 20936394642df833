import {
  ChatClientError,
  type ChatClient,
  type ChatClientInfo,
  type ChatMessage,
  type ChatRequest,
} from "@/lib/workflow";
import { parseDraftPrompt, parseRevisionPrompt } from "../prompts";

/**
 * The writer used when no model is configured. It is deterministic (the same conversation always gives the
 * same text) and says what it is (`isModel: false`), so its drafts are never mistaken for a model's.
 *
 * It answers the release-notes prompts (SPEC §9), read back with the parsers that sit beside their builders
 * in ../prompts.ts:
 * - a draft prompt (`BRIEF: <brief>`) gets a two-sentence note: the brief restated, then a call to
 *   action (taken from the brief when it says e.g. "invite customers to pre-order", else a stock one);
 * - a revision prompt (`Previous draft:\n<draft>\n\nHuman guidance: <guidance>`) gets the previous draft with
 *   the guidance applied visibly: shorter when asked to tighten, phrases added, emphasized, removed or replaced
 *   when asked, tone and call to action changed when asked; guidance it cannot interpret is quoted in the
 *   revised draft, so every round shows what the reviewer asked for.
 *
 * Brief, draft and guidance are data: they are copied as plain text and never evaluated.
 *
 * Every pattern here runs on text a person or a model wrote, so each must run in linear time (checked by
 * `regexp/no-super-linear-*` in eslint.config.mjs). The idioms that keep them so: trailing runs are trimmed,
 * and markers found, with loops and `indexOf` (`/[…]+$/` retries from every character of a run that does not
 * reach the end); an unanchored pattern that starts with whitespace begins with `(?<!\s)`, so it enters a
 * whitespace run only at its first character; and a capture after `\s+` starts with `\S`, so the two cannot
 * trade characters.
 */
export class OfflineWriter implements ChatClient {
  readonly info: ChatClientInfo = {
    provider: "offline",
    model: "offline-writer",
    label: "Offline writer — deterministic, no model",
    isModel: false,
  };
  private readonly delayMs: number;

  /** `delayMs` pauses before each streamed chunk (default 0), so demos and crash tests can watch a draft arrive. */
  constructor(options: { delayMs?: number } = {}) {
    this.delayMs = Math.max(0, options.delayMs ?? 0);
  }

  async *streamChat(request: ChatRequest): AsyncIterable<string> {
    request.signal?.throwIfAborted();
    const text = writeOfflineReply(request.messages);
    for (const chunk of splitIntoWordChunks(text)) {
      if (this.delayMs > 0) await sleep(this.delayMs, request.signal);
      request.signal?.throwIfAborted();
      yield chunk;
    }
  }
}

/** Stock calls to action; one is picked from the brief so the choice is stable. */
export const OFFLINE_CALLS_TO_ACTION = [
  "Try it today and let us know what you think!",
  "Update now to give it a spin, and tell us how it goes!",
  "Take it for a spin today and share your feedback with us!",
] as const;

const OPENER = "Here's what's new: ";
const SPOTLIGHT = /^Spotlight on [^:()]+: /;
const REVIEW_NOTE_OPEN = "(revised per review: ";
const FORMAL_CTA = "Update to the latest version to get started.";

/** The reply the offline writer gives to a conversation; pure and deterministic. */
export function writeOfflineReply(messages: readonly ChatMessage[]): string {
  const userTexts = messages.filter((m) => m.role === "user").map((m) => m.text);
  const last = userTexts.at(-1);
  if (last === undefined) {
    throw new ChatClientError("Offline writer: the conversation has no user message to answer", { transient: false });
  }
  const briefText = userTexts.map(briefOf).find((b) => b !== undefined) ?? last;
  const revision = parseRevisionPrompt(last);
  if (revision) return reviseDraft(revision.draft, revision.guidance, briefText);
  return draftFromBrief(briefOf(last) ?? last);
}

/** The brief of a draft prompt (lib/release-notes/prompts.ts), trimmed: the stock call to action hashes it. */
function briefOf(prompt: string): string | undefined {
  return parseDraftPrompt(prompt)?.brief.trim();
}

// ---------------------------------------------------------------------------------------------------------
// First draft

// In the clause patterns the captured text starts at a non-space (`\S.*`), so `\s+` and `.+` never trade characters.
const INTRO_VERBS = /^(?:introduce|announce|launch|unveil|present|showcase|share|reveal)\s+(\S.*)$/i;
const DETAIL_VERBS =
  /^(?:mention|highlight|emphasi[sz]e|note|stress|call out|point out|describe|explain|feature)\s+(?:that\s+)?(\S.*)$/i;
const INVITE_VERBS = /^(?:invite|ask|encourage|tell|remind|urge|get)\s+(?:[\w'-]+\s+){0,3}?to\s+(\S.*)$/i;
// Split only before instruction verbs that are rarely nouns, so "dark mode and note taking" stays whole.
const CLAUSE_SPLIT =
  /(?:,\s+(?:and\s+)?|(?<!\s)\s+and\s+)(?=(?:mention|highlight|emphasi[sz]e|call out|point out|invite|ask|encourage|remind|urge)\s)/i;
const MAX_BODY_WORDS = 60;

/** Two sentences: the brief restated positively, then a call to action. */
export function draftFromBrief(brief: string): string {
  const clauses = splitSentences(normalize(brief))
    .flatMap((sentence) => sentence.split(CLAUSE_SPLIT))
    .map((clause) => stripEndPunctuation(clause.trim()))
    .filter((clause) => clause !== "");

  let lead: string | undefined;
  const statements: string[] = [];
  const details: string[] = [];
  let action: string | undefined;
  for (const clause of clauses) {
    const intro = INTRO_VERBS.exec(clause);
    const detail = DETAIL_VERBS.exec(clause);
    const invite = INVITE_VERBS.exec(clause);
    if (intro?.[1] && lead === undefined) lead = `Introducing ${intro[1]}`;
    else if (detail?.[1]) details.push(detail[1]);
    else if (invite?.[1] && action === undefined) action = invite[1];
    else statements.push(clause);
  }

  let body: string;
  if (lead !== undefined) {
    body = [lead, ...statements.map(lowerCommonFirstWord)].join(" — ");
  } else if (statements.length > 0) {
    body = OPENER + [statements[0] ?? "", ...statements.slice(1).map(lowerCommonFirstWord)].join("; ");
  } else {
    body = details.length > 0 ? `${OPENER}a fresh update` : "This release brings a fresh round of improvements";
  }
  if (details.length > 0) body += `, with ${joinList(details)}`;
  const cta = action !== undefined ? callToActionFrom(action) : stockCallToAction(brief);
  return `${endSentence(limitWords(body, MAX_BODY_WORDS))} ${cta}`;
}

// ---------------------------------------------------------------------------------------------------------
// Revisions

const SHORTEN =
  /\b(?:short(?:er|en)?|tight(?:en|er)?|concise|brief(?:er|ly)|trim|cut|succinct|too long|fewer words|less wordy|condense|crisp(?:er)?)\b/i;
const FORMAL =
  /\b(?:formal|professional|less (?:excited|hype|enthusiastic|salesy)|calm(?:er)?|tone it down|no exclamation)/i;
const EXCITED =
  /\b(?:more (?:excited|exciting|enthusiastic|fun|playful|energetic|upbeat)|punchier|livelier|exciting)\b/i;
const GUIDANCE_VERBS =
  "tighten|shorten|trim|cut|make|keep|emphasi[sz]e|highlight|stress|focus on|spotlight|feature|add|mention|include|call out|note|say|remove|drop|delete|avoid|don't mention|do not mention|replace|change|swap|invite|ask|encourage|end with|use";
const GUIDANCE_SPLIT = new RegExp(
  `[.;!?](?:\\s+|$)|,?(?<!\\s)\\s+(?:and|then)\\s+(?=(?:${GUIDANCE_VERBS})\\b)|,\\s+(?=(?:${GUIDANCE_VERBS})\\b)`,
  "i",
);
const EMPHASIZE =
  /^(?:emphasi[sz]e|highlight|stress|focus on|spotlight|feature|lead with|put more weight on)\s+(\S.*)$/i;
const ADD = /^(?:add|mention|include|call out|note|say)\s+(?:that\s+)?(\S.*)$/i;
const REMOVE =
  /^(?:remove|drop|delete|avoid|don't mention|do not mention|no longer mention|leave out|omit)\s+(?:the (?:word|phrase)\s+)?(\S.*)$/i;
// "replace X with Y" in two steps: a lazy `(.+?)\s+with` would retry the whitespace after every character of X.
const REPLACE = /^(?:replace|change|swap)\s+(\S.*)$/i;
const REPLACE_SEPARATOR = /(?<!\s)\s+(?:with|to|for)\s+(?=\S)/i;
const CTA_CHANGE =
  /^(?:end with|close with|finish with)\s+(?:a call to action to\s+|an? (?:invitation|invite) to\s+)?(\S.*)$/i;
const MAX_PHRASE_WORDS = 12;
const MAX_QUOTED_GUIDANCE = 200;

/** The previous draft with the reviewer's guidance applied, still a note followed by a call to action. */
export function reviseDraft(previousDraft: string, guidance: string, brief: string): string {
  const previous = normalize(previousDraft) || draftFromBrief(brief);
  const sentences = splitSentences(previous);
  let cta = sentences.length > 1 ? (sentences.pop() ?? "") : stockCallToAction(brief);
  // A note quoted in an earlier round has served its purpose; this round gets its own.
  let body = stripEndPunctuation(removeReviewNotes(sentences.join(" ")));
  const unchanged = `${endSentence(body)} ${cta}`;
  const guide = normalize(guidance);

  const edits = readGuidance(guide);
  // Cuts come before shortening, so the phrase they name is still whole; additions after, so they are kept.
  for (const edit of edits) {
    if (edit.kind === "replace") {
      body = replaceAll(body, edit.from, edit.to);
      cta = replaceAll(cta, edit.from, edit.to);
    } else if (edit.kind === "remove") {
      body = tidy(replaceAll(body, edit.phrase, ""));
      cta = tidy(replaceAll(cta, edit.phrase, ""));
    }
  }

  if (SHORTEN.test(guide)) {
    body = shortenBody(body);
    cta = shortenCallToAction(cta);
  }

  for (const edit of edits) {
    if (edit.kind === "emphasize") {
      body = `Spotlight on ${edit.phrase}: ${body.replace(SPOTLIGHT, "")}`;
    } else if (edit.kind === "add") {
      if (!containsPhrase(body, edit.phrase)) body = `${body}, plus ${edit.phrase}`;
    } else if (edit.kind === "call-to-action") {
      cta = callToActionFrom(edit.action);
    }
  }
  for (const quoted of quotedPhrases(guide)) {
    if (!containsPhrase(body, quoted) && !containsPhrase(cta, quoted) && !isRemovalTarget(guide, quoted))
      body = `${body}, plus ${quoted}`;
  }

  if (FORMAL.test(guide)) {
    body = body.replace(/^Big news: /, "").replaceAll("!", "");
    cta = /!$/.test(cta) ? (cta.includes(" and ") || cta.includes(", ") ? FORMAL_CTA : cta.replace(/!$/, ".")) : cta;
  } else if (EXCITED.test(guide)) {
    if (!body.startsWith("Big news: ")) body = `Big news: ${body.replace(/^Here's what's new: /, "")}`;
    cta = cta.replace(/\.$/, "!");
  }

  let revised = `${endSentence(body)} ${cta}`;
  if (revised === unchanged) {
    // Nothing we recognise changed the text: quote the guidance so the reviewer sees it was received.
    const note = stripEndPunctuation(
      guide.length > MAX_QUOTED_GUIDANCE ? `${guide.slice(0, MAX_QUOTED_GUIDANCE - 1)}…` : guide,
    );
    revised = `${body} ${REVIEW_NOTE_OPEN}${note || "no guidance given"}). ${cta}`;
  }
  return revised;
}

/** One instruction of the guidance, read from one of its clauses. */
type GuidanceEdit =
  | { kind: "replace"; from: string; to: string }
  | { kind: "remove"; phrase: string }
  | { kind: "emphasize"; phrase: string }
  | { kind: "add"; phrase: string }
  | { kind: "call-to-action"; action: string };

/** The edits the guidance asks for, in its order: one per clause whose leading verb we recognise. */
function readGuidance(guide: string): GuidanceEdit[] {
  const edits: GuidanceEdit[] = [];
  for (const raw of guide.split(GUIDANCE_SPLIT)) {
    const edit = readGuidanceClause(stripEndPunctuation(raw.trim().replace(/^(?:please|also|just|and|then)\s+/i, "")));
    if (edit) edits.push(edit);
  }
  return edits;
}

/** The edit a clause asks for. The verb patterns start with different verbs, so at most one of them matches. */
function readGuidanceClause(clause: string): GuidanceEdit | undefined {
  const replacement = parseReplacement(clause);
  if (replacement) return { kind: "replace", from: cleanPhrase(replacement.from), to: cleanPhrase(replacement.to) };
  const removed = REMOVE.exec(clause)?.[1];
  if (removed) return { kind: "remove", phrase: cleanPhrase(removed) };
  const emphasized = EMPHASIZE.exec(clause)?.[1];
  if (emphasized) return { kind: "emphasize", phrase: cleanPhrase(emphasized) };
  const added = ADD.exec(clause)?.[1];
  if (added) return { kind: "add", phrase: cleanPhrase(added) };
  const action = (INVITE_VERBS.exec(clause) ?? CTA_CHANGE.exec(clause))?.[1];
  if (action) return { kind: "call-to-action", action: cleanPhrase(action) };
  return undefined;
}

/** "replace X with Y" (or "change X to Y", "swap X for Y"): X ends at the first separator. */
function parseReplacement(clause: string): { from: string; to: string } | undefined {
  const target = REPLACE.exec(clause)?.[1];
  if (target === undefined) return undefined;
  const separator = REPLACE_SEPARATOR.exec(target);
  if (!separator) return undefined;
  return { from: target.slice(0, separator.index), to: target.slice(separator.index + separator[0].length) };
}

/**
 * `text` without its "(revised per review: …)" notes and the whitespace before each (what
 * `/\s*\(revised per review: [^)]*\)/g` removes). A loop, because that regex rescans to the end of the text
 * from every unclosed note.
 */
function removeReviewNotes(text: string): string {
  let kept = "";
  let from = 0;
  for (let at = text.indexOf(REVIEW_NOTE_OPEN); at !== -1; at = text.indexOf(REVIEW_NOTE_OPEN, from)) {
    const close = text.indexOf(")", at + REVIEW_NOTE_OPEN.length);
    if (close === -1) break;
    kept += text.slice(from, at).trimEnd();
    from = close + 1;
  }
  return kept + text.slice(from);
}

/**
 * Drops the opener, then trailing clauses down to about 60% of the length. The first clause is kept whole
 * unless it is long on its own, so a tightened draft never ends mid-phrase without a visible "…".
 */
function shortenBody(body: string): string {
  const spotlight = SPOTLIGHT.exec(body)?.[0] ?? "";
  const rest = body.slice(spotlight.length);
  const trimmed = rest.replace(/^Here's what's new: /, "").replace(/^Big news: /, "");
  const words = countWords(trimmed);
  if (trimmed !== rest && words <= 12) return spotlight + trimmed;
  const limit = Math.max(6, Math.ceil(words * 0.6));
  let kept = "";
  let keptWords = 0; // counted as clauses are added: recounting `kept` each time is quadratic in a long draft
  for (const clause of trimmed.split(/(?<=[,;—])\s+/)) {
    const clauseWords = countWords(clause);
    if (kept !== "" && keptWords + clauseWords > limit) break;
    kept = kept === "" ? clause : `${kept} ${clause}`;
    keptWords += clauseWords;
  }
  kept = stripEndPunctuation(stripEndClausePunctuation(kept));
  if (countWords(kept) > 16)
    kept = `${kept
      .split(" ")
      .slice(0, limit)
      .join(" ")
      .replace(/[,;:—]$/, "")}…`;
  return spotlight + kept;
}

function shortenCallToAction(cta: string): string {
  const end = /[.!?]$/.exec(cta)?.[0] ?? "!";
  const first = stripEndPunctuation(cta).split(/,?(?<!\s)\s+and\s+|,\s+/)[0] ?? cta;
  return `${first}${end}`;
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

function callToActionFrom(action: string): string {
  const text = capitalize(stripEndPunctuation(action.trim()));
  return /\b(?:today|now|soon)$/i.test(text) ? `${text}!` : `${text} today!`;
}

function stockCallToAction(seed: string): string {
  return OFFLINE_CALLS_TO_ACTION[fnv1a(seed) % OFFLINE_CALLS_TO_ACTION.length] ?? OFFLINE_CALLS_TO_ACTION[0];
}

function quotedPhrases(text: string): string[] {
  // A single quote opens a phrase only after a space, so the apostrophe in "don't" does not. A curly phrase
  // ends at the next “ too, so a run of unclosed “ is scanned once, not once per “.
  return [...text.matchAll(/"([^"]+)"|“([^“”]+)”|\B'([^']{2,})'\B/g)]
    .map((m) => cleanPhrase(m[1] ?? m[2] ?? m[3] ?? ""))
    .filter((phrase) => phrase !== "");
}

/** True when the quoted phrase is something to take out (or to replace), not to add. */
function isRemovalTarget(guidance: string, phrase: string): boolean {
  const verbs = "remove|drop|delete|avoid|leave out|omit|(?:don't|do not|no longer) mention|replace|change|swap";
  return new RegExp(`(?:${verbs})\\s+(?:the (?:word|phrase)\\s+)?["“']?${escapeRegExp(phrase)}`, "i").test(guidance);
}

function cleanPhrase(phrase: string): string {
  const unquoted = stripEndPunctuation(phrase.trim())
    .replace(/^["“'](.*)["”']$/, "$1")
    .trim();
  return limitWords(unquoted, MAX_PHRASE_WORDS);
}

function containsPhrase(text: string, phrase: string): boolean {
  return phrase !== "" && text.toLowerCase().includes(phrase.toLowerCase());
}

/** Case-insensitive literal replacement (the phrase is data, never a pattern). */
function replaceAll(text: string, phrase: string, replacement: string): string {
  if (phrase === "") return text;
  return text.replace(new RegExp(escapeRegExp(phrase), "gi"), () => replacement);
}

/** Cleans up after a phrase was cut out: doubled spaces, orphaned commas and connectives ("with and"). */
function tidy(text: string): string {
  return text
    .replace(/\s{2,}/g, " ")
    .replace(/(?<!\s)\s+([,;:.!?])/g, "$1")
    .replace(/([,;:])\s*(?=[,;:.!?])/g, "")
    .replace(/\b(with|plus|and|including)\s+(?:and|plus)\s+/gi, "$1 ")
    .replace(/^(?:and|plus|with)\s+/i, "")
    .replace(/,?(?<!\s)\s*\b(?:with|plus|and|including)\s*(?=[,;.!?]|$)/gi, "")
    .replace(/[,;:]\s*$/, "")
    .trim();
}

function splitSentences(text: string): string[] {
  return text.split(/(?<=[.!?…])\s+(?=\S)/).filter((s) => s.trim() !== "");
}

function endSentence(text: string): string {
  return /[.!?…]$/.test(text) ? text : `${text}.`;
}

function normalize(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** `text` without trailing whitespace and sentence punctuation (what `/[\s.!?]+$/` removes, in one pass). */
function stripEndPunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && isEndPunctuationOrSpace(text.charAt(end - 1))) end--;
  return text.slice(0, end);
}

function isEndPunctuationOrSpace(char: string): boolean {
  return char === "." || char === "!" || char === "?" || /\s/.test(char);
}

/** `text` without a trailing run of `,;:—` and the whitespace just before it (what `/\s*[,;:—]+$/` removes). */
function stripEndClausePunctuation(text: string): string {
  let end = text.length;
  while (end > 0 && ",;:—".includes(text.charAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end).trimEnd();
}

function limitWords(text: string, max: number): string {
  const words = text.split(" ");
  return words.length <= max
    ? text
    : `${words
        .slice(0, max)
        .join(" ")
        .replace(/[,;:—]$/, "")}…`;
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function joinList(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

const COMMON_FIRST_WORDS = new Set([
  "it",
  "we",
  "you",
  "our",
  "the",
  "this",
  "they",
  "now",
  "a",
  "an",
  "plus",
  "and",
  "your",
  "there",
  "its",
  "these",
  "all",
  "every",
  "new",
]);

function lowerCommonFirstWord(clause: string): string {
  const first = clause.split(" ")[0] ?? "";
  return COMMON_FIRST_WORDS.has(first.toLowerCase()) ? first.toLowerCase() + clause.slice(first.length) : clause;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Word-sized pieces whose concatenation is the text, like a model's stream. */
export function splitIntoWordChunks(text: string): string[] {
  // Leading whitespace joins the first chunk only; later chunks start at a word (each one ends with its spaces).
  return text.match(/^\s*\S+\s*|\S+\s*/g) ?? [];
}

/** 32-bit FNV-1a: a small stable hash, so choices depend only on the text. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
