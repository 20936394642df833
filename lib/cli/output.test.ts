import { describe, expect, it } from "vitest";
import type { RunListItem } from "@/lib/services";
import { formatReviewRequest, formatRunLine, terminalSafe } from "./format";
import { Output } from "./output";

// What a brief, a draft or guidance may carry to take over a terminal: an OSC 8 hyperlink to another address,
// a clear-screen CSI, and a right-to-left override that makes the rest of the line read backwards.
const LINK_OPEN = "\u001b]8;;http://evil\u0007";
const LINK_CLOSE = "\u001b]8;;\u0007";
const CLEAR_SCREEN = "\u001b[2J";
const RTL_OVERRIDE = "\u202e";
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function capture(options: { isJson?: boolean; isInteractive?: boolean } = {}) {
  const printed = { stdout: "", stderr: "" };
  const out = new Output({
    isJson: options.isJson ?? false,
    isInteractive: options.isInteractive ?? false,
    stdout: { write: (text: string) => (printed.stdout += text) },
    stderr: { write: (text: string) => (printed.stderr += text) },
  });
  return { out, printed };
}

const HOSTILE_DRAFT = `Meet the ${LINK_OPEN}grinder${LINK_CLOSE}.${CLEAR_SCREEN} Pre-order ${RTL_OVERRIDE}today!`;

describe("CLI output", () => {
  it("prints a draft under review without escape sequences or bidirectional overrides, in the usual layout", () => {
    const { out, printed } = capture();
    out.promptLine(
      formatReviewRequest({ requestId: "req-1", iteration: 2, prompt: "Review the draft.", draft: HOSTILE_DRAFT }),
    );

    expect(printed.stdout).toBe(
      "\n=== Human approval needed ===\nrequest_id: req-1\nIteration: 2\nReview the draft.\nDraft:\n---\nMeet the grinder. Pre-order today!\n---\n",
    );
    expect(printed.stdout).not.toMatch(UNSAFE);
  });

  it("prints a brief in the run list without them", () => {
    const { out, printed } = capture();
    const run: RunListItem = {
      runId: "run-1",
      brief: `${RTL_OVERRIDE}Dark mode ${LINK_OPEN}ships${LINK_CLOSE} ${CLEAR_SCREEN}today.`,
      status: "awaiting_review",
      iteration: 1,
      submittedBy: null,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
      pendingRequestId: null,
      pendingSince: null,
      draftPreview: null,
      approvals: null,
      assignees: [],
      deadline: null,
    };
    out.line(formatRunLine(run));

    expect(printed.stdout).toBe(
      "- run-1 | status=awaiting_review | iteration=1 | created=2025-01-01T00:00:00.000Z | brief=Dark mode ships today.\n",
    );
  });

  it("strips them from streamed writer tokens, even when a sequence is split across tokens", () => {
    const { out, printed } = capture();
    for (const token of ["Meet ", "\u001b]8;;http://ev", "il\u0007the grinder", "\u001b[", "2J!"]) out.write(token);

    expect(printed.stdout).not.toMatch(UNSAFE);
    expect(printed.stdout).toContain("the grinder");
  });

  it("strips them from error lines that quote people", () => {
    const { out, printed } = capture();
    out.error(
      `error [REQUEST_ALREADY_ANSWERED]: Already answered by ${RTL_OVERRIDE}Rita${CLEAR_SCREEN} (rita@example.com).`,
    );

    expect(printed.stderr).toBe("error [REQUEST_ALREADY_ANSWERED]: Already answered by Rita (rita@example.com).\n");
  });

  it("makes piped answers echoed by the line prompter safe, and leaves a terminal prompt's stream alone", () => {
    const piped = capture();
    piped.out.prompts.write(`Mention ${LINK_OPEN}free shipping${LINK_CLOSE}\n`);
    expect(piped.printed.stdout).toBe("Mention free shipping\n");

    // readline draws its prompt and line editing with sequences of its own.
    const terminal = capture({ isInteractive: true });
    terminal.out.prompts.write("\u001b[1G");
    expect(terminal.printed.stdout).toBe("\u001b[1G");
  });

  it("keeps newlines, tabs and indentation", () => {
    expect(terminalSafe("Resume later with:\n  npm run cli -- resume cp-1\n\tdone\r\n")).toBe(
      "Resume later with:\n  npm run cli -- resume cp-1\n\tdone\n",
    );
  });

  it("writes the JSON document with the exact text, escaped so a terminal shows it inert", () => {
    const { out, printed } = capture({ isJson: true });
    out.document({ draft: HOSTILE_DRAFT, c1: "\u009b2J" });

    expect(printed.stdout).not.toMatch(UNSAFE);
    expect(printed.stdout).toContain("\\u202e");
    expect(JSON.parse(printed.stdout)).toEqual({ draft: HOSTILE_DRAFT, c1: "\u009b2J" });
  });
});
