"use client";

import { useActionState, useEffect, useId, useRef, useState } from "react";
import { useShortcutPreference, useShortcuts } from "@/components/keyboard/use-shortcuts";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, FieldHint, inputClasses, Label } from "@/components/ui/field";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { AnswerResult as AnswerData, ReviewRequest } from "@/lib/queries";
import { MarkdownView } from "./markdown-view";
import { approvalCount, approvalOutcome } from "./review-rounds";

export type AnswerResult = ActionResult<AnswerData>;

/** Why someone who may answer cannot approve (separation of duties); shown beside the disabled Approve button. */
export const SELF_APPROVAL_EXPLANATION =
  "You submitted this brief, so someone else approves it. You can still send it back with guidance.";

/** The keys of the review, as the `?` dialog lists them. */
export const DECISION_SHORTCUTS = [
  { keys: ["a"], description: "Approve the draft" },
  { keys: ["e"], description: "Edit the draft, then approve your edit" },
  { keys: ["r"], description: "Request a revision: go to the guidance for the writer" },
] as const;

export interface DecisionFormProps {
  runId: string;
  request: ReviewRequest;
  /** How many approvals the run's policy requires. */
  requiredApprovals: number;
  /** The signed-in person, to tell whether they approved this draft already. */
  viewerId: string | null;
  defaultGuidance: string;
  /** False when the person looking submitted the brief (and self-approval is off): guidance or reject only. */
  canApprove: boolean;
  action: (previous: ActionState<AnswerData>, formData: FormData) => Promise<AnswerResult>;
  /** Called once per answer from the server, success or failure. */
  onResult: (result: AnswerResult) => void;
}

type Panel = "none" | "edit" | "reject";

/**
 * A reviewer's decision on the draft awaiting review: approve it, edit it and approve the edit, send it back with
 * guidance, or reject the run (with a reason, after a second confirming click). Every decision carries the hash of
 * the draft shown, so it is refused if the draft changed meanwhile. Keys: `a`, `e`, `r` (see DECISION_SHORTCUTS).
 */
export function DecisionForm({
  runId,
  request,
  requiredApprovals,
  viewerId,
  defaultGuidance,
  canApprove,
  action,
  onResult,
}: DecisionFormProps) {
  const [state, formAction, isPending] = useActionState(action, null);
  // Controlled, so what was typed survives a refused answer or an ended session (React resets uncontrolled fields after an action).
  const [guidance, setGuidance] = useState("");
  const [text, setText] = useState(request.draft);
  const [reason, setReason] = useState("");
  const [panel, setPanel] = useState<Panel>("none");
  const ids = {
    approveNote: useId(),
    guidance: useId(),
    guidanceHint: useId(),
    guidanceError: useId(),
    edit: useId(),
    editHint: useId(),
    editError: useId(),
    editHeading: useId(),
    previewHeading: useId(),
    reason: useId(),
    reasonHint: useId(),
    reasonError: useId(),
    rejectHeading: useId(),
  };
  const approveRef = useRef<HTMLButtonElement>(null);
  const editRef = useRef<HTMLButtonElement>(null);
  const rejectRef = useRef<HTMLButtonElement>(null);
  const guidanceRef = useRef<HTMLTextAreaElement>(null);
  const textRef = useRef<HTMLTextAreaElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  // Where focus goes once a panel has opened or closed (the control that was pressed may be gone by then).
  const focusNext = useRef<"text" | "reason" | "edit" | "reject" | null>(null);
  const reported = useRef<AnswerResult | null>(null);
  const [isShortcutsOn] = useShortcutPreference();

  useEffect(() => {
    if (state && reported.current !== state) {
      reported.current = state;
      onResult(state);
    }
  }, [state, onResult]);

  useEffect(() => {
    const target = focusNext.current;
    focusNext.current = null;
    const element = { text: textRef, reason: reasonRef, edit: editRef, reject: rejectRef }[target ?? "text"].current;
    if (target) element?.focus();
  }, [panel]);

  const counted = request.approvals;
  const hasApproved = viewerId !== null && counted.some((approval) => approval.byId === viewerId);
  const mayApproveNow = canApprove && !hasApproved;

  function openPanel(next: Panel) {
    focusNext.current = next === "edit" ? "text" : next === "reject" ? "reason" : panel === "edit" ? "edit" : "reject";
    setPanel(next);
  }

  useShortcuts(
    [
      { key: "a", run: () => (mayApproveNow && !isPending ? approveRef.current?.click() : undefined) },
      {
        key: "e",
        run: () => {
          if (!canApprove) return;
          if (panel === "edit") textRef.current?.focus();
          else openPanel("edit");
        },
      },
      {
        key: "r",
        run: () => {
          guidanceRef.current?.focus();
          guidanceRef.current?.scrollIntoView({ block: "center" });
        },
      },
    ],
    true,
  );

  const error = state && !state.ok ? state.error : null;
  const guidanceErrors = error?.fieldErrors?.guidance;
  const textErrors = error?.fieldErrors?.text;
  const reasonErrors = error?.fieldErrors?.reason;
  const hasFieldErrors = Boolean(guidanceErrors || textErrors || reasonErrors);
  const status = isPending
    ? "Sending your decision…"
    : state?.ok
      ? state.data.status === "awaiting_review" && state.data.approvals
        ? `Approval recorded: ${approvalCount(state.data.approvals.count, state.data.approvals.required)}. Draft ${request.iteration} waits for another reviewer.`
        : "Decision recorded. The run continues."
      : error?.code === "UNAUTHENTICATED"
        ? "" // SessionEnded below says it (as an alert)
        : error && !hasFieldErrors
          ? error.message
          : error
            ? "Not sent: fix the field marked above."
            : "";
  const shortcut = (key: string) => (isShortcutsOn ? key : undefined);

  return (
    <form action={formAction} className="space-y-5" noValidate>
      <input type="hidden" name="runId" value={runId} />
      <input type="hidden" name="requestId" value={request.requestId} />
      <input type="hidden" name="draftSha256" value={request.draftSha256} />

      <div
        className={cn(
          "space-y-2 rounded-md border p-3",
          mayApproveNow ? "border-emerald-200 bg-emerald-50/60" : "border-slate-200 bg-slate-50",
        )}
      >
        <div className="flex flex-wrap items-center gap-2">
          {mayApproveNow ? (
            <Button
              ref={approveRef}
              type="submit"
              name="decision"
              value="approve"
              variant="primary"
              disabled={isPending}
              aria-describedby={ids.approveNote}
              aria-keyshortcuts={shortcut("a")}
            >
              <span aria-hidden="true">✓</span> Approve
            </Button>
          ) : (
            <Button type="button" variant="secondary" disabled aria-describedby={ids.approveNote}>
              <span aria-hidden="true">✓</span> Approve
            </Button>
          )}
          {canApprove ? (
            <Button
              ref={editRef}
              variant="secondary"
              aria-expanded={panel === "edit"}
              aria-controls={panel === "edit" ? ids.edit : undefined}
              aria-keyshortcuts={shortcut("e")}
              onClick={() => openPanel(panel === "edit" ? "none" : "edit")}
              disabled={isPending}
            >
              <span aria-hidden="true">✎</span> Edit and approve
            </Button>
          ) : null}
        </div>
        <p id={ids.approveNote} className="text-sm text-slate-800">
          {!canApprove
            ? SELF_APPROVAL_EXPLANATION
            : hasApproved
              ? `You approved this draft: ${approvalCount(counted.length, requiredApprovals)}. Another reviewer’s approval is needed.`
              : approvalOutcome({ count: counted.length, required: requiredApprovals, iteration: request.iteration })}
        </p>
      </div>

      {panel === "edit" ? (
        <div
          role="group"
          aria-labelledby={ids.editHeading}
          className="space-y-3 rounded-md border border-sky-200 bg-sky-50/40 p-3"
        >
          <h3 id={ids.editHeading} className="font-semibold">
            Edit draft {request.iteration}
          </h3>
          <div className="grid gap-4 lg:grid-cols-2">
            <div className="min-w-0 space-y-1.5">
              <Label htmlFor={ids.edit}>Edited draft (Markdown)</Label>
              <FieldHint id={ids.editHint}>
                {approvalOutcome({
                  count: counted.length,
                  required: requiredApprovals,
                  iteration: request.iteration,
                  isEdit: true,
                })}
              </FieldHint>
              <textarea
                ref={textRef}
                id={ids.edit}
                name="text"
                rows={14}
                value={text}
                onChange={(event) => setText(event.target.value)}
                aria-invalid={textErrors ? true : undefined}
                aria-describedby={cn(ids.editHint, textErrors && ids.editError)}
                className={cn(inputClasses, "resize-y font-mono text-[0.85rem] leading-relaxed")}
              />
              <FieldError id={ids.editError} messages={textErrors} />
            </div>
            <div className="min-w-0 space-y-1.5">
              <h4 id={ids.previewHeading} className="text-sm font-medium text-slate-900">
                Preview
              </h4>
              <div
                role="region"
                aria-labelledby={ids.previewHeading}
                className="max-h-[28rem] overflow-auto rounded-md border border-slate-200 bg-white p-3"
              >
                {text.trim() === "" ? (
                  <p className="text-sm text-slate-600">The edited draft is empty.</p>
                ) : (
                  <MarkdownView text={text} />
                )}
              </div>
            </div>
          </div>
          <div className="flex flex-wrap gap-2">
            <Button type="submit" name="decision" value="edit" variant="primary" disabled={isPending}>
              <span aria-hidden="true">✓</span> Approve edited draft
            </Button>
            <Button variant="ghost" onClick={() => openPanel("none")} disabled={isPending}>
              Cancel editing
            </Button>
          </div>
        </div>
      ) : null}

      <div className="space-y-1.5">
        <Label htmlFor={ids.guidance}>Guidance for the writer</Label>
        <FieldHint id={ids.guidanceHint}>
          What should change in the next draft. Leave empty to use the default guidance: “{defaultGuidance}”
        </FieldHint>
        <textarea
          ref={guidanceRef}
          id={ids.guidance}
          name="guidance"
          rows={4}
          value={guidance}
          onChange={(event) => setGuidance(event.target.value)}
          aria-invalid={guidanceErrors ? true : undefined}
          aria-describedby={cn(ids.guidanceHint, guidanceErrors && ids.guidanceError)}
          aria-keyshortcuts={shortcut("r")}
          className={cn(inputClasses, "resize-y")}
        />
        <FieldError id={ids.guidanceError} messages={guidanceErrors} />
        <Button type="submit" name="decision" value="revise" disabled={isPending}>
          <span aria-hidden="true">↺</span> Request revision
        </Button>
      </div>

      <div className="border-t border-slate-200 pt-4">
        {panel === "reject" ? (
          <div
            role="group"
            aria-labelledby={ids.rejectHeading}
            className="space-y-3 rounded-md border border-rose-200 bg-rose-50/50 p-3"
          >
            <h3 id={ids.rejectHeading} className="font-semibold text-rose-900">
              Reject this run?
            </h3>
            <p className="text-sm text-slate-800">
              Rejecting ends the run: nothing is published and the writer stops. Only an admin can re-open it.
            </p>
            <div className="space-y-1.5">
              <Label htmlFor={ids.reason}>Reason for rejecting</Label>
              <FieldHint id={ids.reasonHint}>Required. Shown on the run with your name.</FieldHint>
              <textarea
                ref={reasonRef}
                id={ids.reason}
                name="reason"
                rows={3}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
                aria-required="true"
                aria-invalid={reasonErrors ? true : undefined}
                aria-describedby={cn(ids.reasonHint, reasonErrors && ids.reasonError)}
                className={cn(inputClasses, "resize-y")}
              />
              <FieldError id={ids.reasonError} messages={reasonErrors} />
            </div>
            <div className="flex flex-wrap gap-2">
              <Button type="submit" name="decision" value="reject" variant="danger" disabled={isPending}>
                <span aria-hidden="true">⊘</span> Reject the run
              </Button>
              <Button variant="ghost" onClick={() => openPanel("none")} disabled={isPending}>
                Keep reviewing
              </Button>
            </div>
          </div>
        ) : (
          <div className="flex flex-wrap items-center gap-3">
            <Button
              ref={rejectRef}
              variant="ghost"
              className="border border-rose-200 text-rose-800 hover:bg-rose-50"
              onClick={() => openPanel("reject")}
              disabled={isPending}
            >
              <span aria-hidden="true">⊘</span> Reject…
            </Button>
            <p className="text-sm text-slate-600">Ends the run without publishing; asks for a reason first.</p>
          </div>
        )}
      </div>

      <SessionEnded code={error?.code} />
      <p
        role="status"
        aria-live="polite"
        className={cn("text-sm", error ? "font-medium text-rose-700" : "text-slate-700")}
      >
        {status}
      </p>
    </form>
  );
}
