import { LocalTime } from "@/components/ui/local-time";
import type { ReviewRound } from "@/lib/queries";
import { DraftDiff } from "./draft-diff";

/**
 * What ended a round, in words: approved, a revision requested (with the guidance), edited (with the diff from the
 * writer's draft to the edit), rejected (with the reason), or left behind on an older branch.
 */
export function RoundDecision({ round, headingLevel = 4 }: { round: ReviewRound; headingLevel?: 3 | 4 }) {
  const { decision } = round;
  if (round.state === "pending") return null;
  if (round.state === "superseded" || !decision) {
    return (
      <p className="text-sm text-slate-700">
        Left on an older branch: a resume from an earlier checkpoint started a newer one, so this draft was never
        decided.
      </p>
    );
  }
  const by = decision.decidedBy ?? "an unnamed reviewer";
  const when = (
    <span className="text-slate-600">
      {" "}
      · <LocalTime iso={decision.decidedAt} />
    </span>
  );
  const Heading = headingLevel === 3 ? "h3" : "h4";
  if (decision.kind === "edit") {
    return (
      <div className="space-y-2">
        <p className="text-sm">
          <strong className="font-semibold">
            {decision.isApproval ? `Edited and approved by ${by}` : `Edited by ${by}`}
          </strong>
          {when}
        </p>
        {decision.isApproval ? null : (
          <p className="text-sm text-slate-700">
            The edit counts as {by}’s approval; the edited draft went to review again.
          </p>
        )}
        <Heading className="text-sm font-semibold text-slate-900">
          {by}’s edit: draft {round.iteration} → edited text
        </Heading>
        <DraftDiff
          previous={round.draft}
          current={decision.response}
          previousLabel={`Draft ${round.iteration}`}
          currentLabel={`${by}’s edit`}
        />
      </div>
    );
  }
  if (decision.kind === "reject") {
    return (
      <div className="space-y-1">
        <p className="text-sm">
          <strong className="font-semibold">Rejected by {by}</strong>
          {when}
        </p>
        <blockquote className="whitespace-pre-wrap break-words border-l-2 border-rose-300 pl-2 text-sm text-slate-800">
          <span className="sr-only">Reason: </span>
          {decision.response}
        </blockquote>
      </div>
    );
  }
  if (decision.kind === "revise") {
    return (
      <div className="space-y-1">
        <p className="text-sm">
          <strong className="font-semibold">Revision requested by {by}</strong>
          {when}
        </p>
        <blockquote className="whitespace-pre-wrap break-words border-l-2 border-amber-300 pl-2 text-sm text-slate-800">
          <span className="sr-only">Guidance: </span>
          {decision.response.trim() === "" ? <em>No guidance given (default guidance used)</em> : decision.response}
        </blockquote>
      </div>
    );
  }
  return (
    <p className="text-sm">
      <strong className="font-semibold">Approved by {by}</strong>
      {when}
    </p>
  );
}
