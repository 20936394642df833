import Link from "next/link";
import type { ReactNode } from "react";
import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import type { AuditEntry, Decision } from "@/lib/queries";
import { actedAs, signInMethodPhrases } from "./actor-phrases";

export interface AuditTrailProps {
  runId: string;
  /** Who did what, oldest first; empty for runs from before sign-in existed. */
  audit: AuditEntry[];
  /** The recorded answers, for what an "answered" entry decided. */
  decisions: Decision[];
  /** The old rendering's inputs, for runs without audit entries. */
  submittedBy: string | null;
  createdAt: string;
}

/**
 * Who did what, oldest first: the submission, every answer, resume, retry and re-opening, each naming the person,
 * their role and how they were signed in. Runs from before sign-in have no audit entries: they show the submitter
 * and the recorded decisions, as they did then.
 */
export function AuditTrail({ runId, audit, decisions, submittedBy, createdAt }: AuditTrailProps) {
  if (audit.length === 0)
    return <LegacyAuditTrail submittedBy={submittedBy} createdAt={createdAt} decisions={decisions} />;
  const decisionByAnswer = new Map(
    decisions.map((decision) => [answerKey(decision.requestId, decision.checkpointId), decision]),
  );
  const items = audit.map((entry) => ({
    entry,
    decision:
      entry.action === "answered" && entry.requestId && entry.checkpointId
        ? decisionByAnswer.get(answerKey(entry.requestId, entry.checkpointId))
        : undefined,
  }));
  return (
    <ol className="space-y-4 border-l-2 border-slate-200 pl-4">
      {items.map(({ entry, decision }, index) => (
        <AuditItem
          key={`${entry.at}-${entry.action}-${index}`}
          runId={runId}
          entry={entry}
          decision={decision}
          endedAs={endedAsBefore(items, index)}
        />
      ))}
    </ol>
  );
}

/** How the run had ended before entry `index` (what a re-opening re-opened): rejected if the last decision before it rejected it. */
function endedAsBefore(
  items: ReadonlyArray<{ decision: Decision | undefined }>,
  index: number,
): "completed" | "rejected" {
  const last = items.slice(0, index).findLast((item) => item.decision !== undefined);
  return last?.decision?.kind === "reject" ? "rejected" : "completed";
}

function answerKey(requestId: string, checkpointId: string): string {
  return `${requestId}\u0000${checkpointId}`;
}

const dotTones: Record<AuditEntry["action"], string> = {
  submitted: "bg-slate-400",
  answered: "bg-amber-500",
  approved: "bg-emerald-600",
  assigned: "bg-slate-400",
  unassigned: "bg-slate-400",
  reminded: "bg-slate-400",
  escalated: "bg-rose-500",
  resumed: "bg-sky-600",
  retried: "bg-rose-500",
  reopened: "bg-violet-600",
};

function AuditItem({
  runId,
  entry,
  decision,
  endedAs,
}: {
  runId: string;
  entry: AuditEntry;
  decision: Decision | undefined;
  endedAs: "completed" | "rejected";
}) {
  const dot = entry.action === "answered" && decision?.isApproval ? "bg-emerald-600" : dotTones[entry.action];
  return (
    <TrailItem dotClassName={dot}>
      <p className="text-sm">
        <strong className="font-semibold">{entry.actorName}</strong> {whatHappened(entry, decision, endedAs)}
      </p>
      {entry.action === "answered" && decision && (decision.kind === "revise" || decision.kind === "reject") ? (
        <Guidance text={decision.response} isReason={decision.kind === "reject"} />
      ) : null}
      {entry.action === "reopened" ? (
        <blockquote className="mt-1 whitespace-pre-wrap break-words border-l-2 border-violet-300 pl-2 text-sm text-slate-800">
          <span className="sr-only">Reason: </span>
          {entry.reason?.trim() ? entry.reason : <em>No reason recorded</em>}
        </blockquote>
      ) : null}
      <p className="text-xs text-slate-600">
        {actedAs(entry.actorRole, entry.actorMethod)} · <LocalTime iso={entry.at} withSeconds />
        {(entry.action === "resumed" || entry.action === "reopened") && entry.checkpointId ? (
          <>
            {" "}
            ·{" "}
            <Link href={`/runs/${runId}/checkpoints/${entry.checkpointId}`} className="text-sky-800 underline">
              view checkpoint
            </Link>
          </>
        ) : null}
      </p>
    </TrailItem>
  );
}

function whatHappened(entry: AuditEntry, decision: Decision | undefined, endedAs: "completed" | "rejected"): string {
  switch (entry.action) {
    case "submitted":
      return "submitted the brief";
    case "answered": {
      if (!decision) return "answered a review request";
      const draft = `draft ${decision.iteration ?? "?"}`;
      if (decision.kind === "edit") return decision.isApproval ? `edited and approved ${draft}` : `edited ${draft}`;
      if (decision.kind === "reject") return `rejected ${draft}`;
      return decision.isApproval ? `approved ${draft}` : `requested a revision of ${draft}`;
    }
    case "approved":
      return "approved the draft (more approvals needed)";
    case "assigned":
      return `asked ${entry.subjectName ?? "someone"} to review`;
    case "reminded":
      return `reminded ${entry.subjectName ?? "the reviewers"} of the deadline`;
    case "escalated":
      return `escalated the overdue review to ${entry.subjectName ?? "the admins"}`;
    case "unassigned":
      return `took ${entry.subjectName ?? "someone"} off the review`;
    case "resumed":
      return "resumed the run from a checkpoint";
    case "retried":
      return "retried the run from its last checkpoint";
    case "reopened":
      return `re-opened the ${endedAs} run`;
  }
}

/** The old trail, for runs recorded before sign-in: the submitter's name and the decisions, as typed then. */
function LegacyAuditTrail({
  submittedBy,
  createdAt,
  decisions,
}: {
  submittedBy: string | null;
  createdAt: string;
  decisions: Decision[];
}) {
  return (
    <ol className="space-y-4 border-l-2 border-slate-200 pl-4">
      <TrailItem dotClassName="bg-slate-400">
        <p className="text-sm">
          <strong className="font-semibold">{submittedBy ?? "Someone"}</strong> submitted the brief
        </p>
        <p className="text-xs text-slate-600">
          <LocalTime iso={createdAt} />
        </p>
      </TrailItem>
      {decisions.map((decision) => (
        <TrailItem
          key={`${decision.requestId}-${decision.checkpointId}`}
          dotClassName={decision.isApproval ? "bg-emerald-600" : "bg-amber-500"}
        >
          <p className="text-sm">
            <strong className="font-semibold">{decision.decidedBy ?? "Unnamed reviewer"}</strong>{" "}
            {decision.isApproval ? "approved" : "requested a revision of"} draft {decision.iteration ?? "?"}
          </p>
          {!decision.isApproval ? <Guidance text={decision.response} /> : null}
          <p className="text-xs text-slate-600">
            {decision.decidedVia ? `${signInMethodPhrases[decision.decidedVia]} · ` : null}
            <LocalTime iso={decision.decidedAt} withSeconds />
          </p>
        </TrailItem>
      ))}
    </ol>
  );
}

function TrailItem({ dotClassName, children }: { dotClassName: string; children: ReactNode }) {
  return (
    <li className="relative">
      <span
        aria-hidden="true"
        className={cn("absolute -left-[1.42rem] top-1.5 size-2.5 rounded-full border-2 border-white", dotClassName)}
      />
      {children}
    </li>
  );
}

/** The guidance of a revision, or the reason of a rejection. */
function Guidance({ text, isReason = false }: { text: string; isReason?: boolean }) {
  return (
    <blockquote
      className={cn(
        "mt-1 whitespace-pre-wrap break-words border-l-2 pl-2 text-sm text-slate-800",
        isReason ? "border-rose-300" : "border-amber-300",
      )}
    >
      {isReason ? <span className="sr-only">Reason: </span> : null}
      {text.trim() === "" ? <em>No guidance given (default guidance used)</em> : text}
    </blockquote>
  );
}
