/** Every text the workflow sends, word for word as SPEC §9 gives them. */
export const WRITER_INSTRUCTIONS = "Write concise, warm release notes that sound human and helpful.";
export const REVIEW_PROMPT = "Review the draft. Reply 'approve' or provide edit instructions.";
export const DEFAULT_GUIDANCE = "Tighten the copy and emphasize customer benefit.";

export function draftPrompt(brief: string): string {
  return (
    "You are drafting product release notes. Summarize the brief below in two sentences. " +
    "Keep it positive and end with a call to action.\n\n" +
    `BRIEF: ${brief}`
  );
}

export function revisionPrompt(draft: string, guidance: string): string {
  return `Revise the launch note. Respond with the new copy only.\n\nPrevious draft:\n${draft}\n\nHuman guidance: ${guidance}`;
}
