"use client";

import { useId, useState } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { DisclosureButton } from "@/components/ui/disclosure-button";
import { LocalTime } from "@/components/ui/local-time";
import { SectionCard } from "@/components/ui/section-card";
import type { ReviewRound } from "@/lib/queries";
import { ApprovalsList } from "./approvals-list";
import { DraftDiff } from "./draft-diff";
import { MarkdownView } from "./markdown-view";
import { previousRoundOf, roundStateLabels, roundTitle } from "./review-rounds";
import { RoundDecision } from "./round-decision";

const stateTones: Record<ReviewRound["state"], BadgeTone> = {
  pending: "warning",
  approved: "success",
  revised: "neutral",
  edited: "info",
  rejected: "danger",
  superseded: "muted",
};

export interface ReviewHistoryProps {
  /** Every round of the newest branch, oldest first (RunDetail.rounds). */
  rounds: ReviewRound[];
  /** Rounds shown elsewhere (the draft awaiting review) and left out here. */
  omitRequestIds?: ReadonlySet<string>;
  requiredApprovals: number;
  /** The newest round listed starts expanded (a finished run's last round). */
  isNewestOpen?: boolean;
}

/**
 * The review rounds, newest first, one per draft: its title and outcome on one line, expandable to its approvals
 * (dismissed ones marked), the decision, the draft and what changed since the draft before it.
 */
export function ReviewHistory({ rounds, omitRequestIds, requiredApprovals, isNewestOpen = false }: ReviewHistoryProps) {
  const listed = rounds
    .map((round, index) => ({ round, previous: previousRoundOf(rounds, index) }))
    .filter(({ round }) => !omitRequestIds?.has(round.requestId));
  if (listed.length === 0) return null;
  const newestFirst = [...listed].reverse();
  const title = omitRequestIds && omitRequestIds.size > 0 ? "Earlier rounds" : "Review rounds";
  return (
    <SectionCard
      title={
        <>
          {title} <span className="font-normal text-slate-600">({listed.length})</span>
        </>
      }
      description="One per draft, newest first. Open a round for its approvals, the decision and the changes."
    >
      <ol className="divide-y divide-slate-200">
        {newestFirst.map(({ round, previous }, index) => (
          <RoundItem
            key={round.requestId}
            round={round}
            previous={previous}
            requiredApprovals={requiredApprovals}
            isOpenByDefault={isNewestOpen && index === 0}
          />
        ))}
      </ol>
    </SectionCard>
  );
}

function RoundItem({
  round,
  previous,
  requiredApprovals,
  isOpenByDefault,
}: {
  round: ReviewRound;
  previous: ReviewRound | null;
  requiredApprovals: number;
  isOpenByDefault: boolean;
}) {
  // follows `isOpenByDefault` (the run may end while the page is open) until the reviewer opens or closes it
  const [choice, setChoice] = useState<boolean | null>(null);
  const isOpen = choice ?? isOpenByDefault;
  const ids = { panel: useId(), summary: useId() };
  const counted = round.approvals.filter((approval) => approval.dismissed === null).length;
  const dismissed = round.approvals.length - counted;
  const who = round.decision?.decidedBy;
  const summary = [
    who ? `${roundStateLabels[round.state].toLowerCase()} by ${who}` : null,
    counted > 0 ? `${counted} ${counted === 1 ? "approval" : "approvals"}` : null,
    dismissed > 0 ? `${dismissed} dismissed` : null,
  ].filter(Boolean);
  return (
    <li className="px-4 py-3">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <h3 className="font-semibold">
          <DisclosureButton
            isOpen={isOpen}
            onToggle={() => setChoice(!isOpen)}
            panelId={ids.panel}
            describedBy={ids.summary}
          >
            {roundTitle(round)}
          </DisclosureButton>
        </h3>
        <span id={ids.summary} className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm text-slate-700">
          <Badge tone={stateTones[round.state]}>{roundStateLabels[round.state]}</Badge>
          {summary.length > 0 ? <span>{summary.join(" · ")}</span> : null}
          <span className="text-slate-600">
            asked <LocalTime iso={round.createdAt} />
          </span>
        </span>
      </div>
      <div id={ids.panel} hidden={!isOpen} className="mt-3 space-y-4 border-l-2 border-slate-200 pl-3 sm:pl-4">
        {isOpen ? <RoundDetails round={round} previous={previous} requiredApprovals={requiredApprovals} /> : null}
      </div>
    </li>
  );
}

function RoundDetails({
  round,
  previous,
  requiredApprovals,
}: {
  round: ReviewRound;
  previous: ReviewRound | null;
  requiredApprovals: number;
}) {
  return (
    <>
      {/* with one approval required, the decision below names the approver; the list adds only dismissed approvals */}
      {requiredApprovals > 1 || round.approvals.some((approval) => approval.dismissed !== null) ? (
        <ApprovalsList
          approvals={round.approvals}
          required={requiredApprovals}
          showCount={round.state === "approved" && requiredApprovals > 1}
        />
      ) : null}
      <RoundDecision round={round} />
      <div className="space-y-1.5">
        <h4 className="text-sm font-semibold text-slate-900">The draft as reviewers saw it</h4>
        <div className="rounded-md border border-slate-200 bg-slate-50/60 p-3">
          <MarkdownView text={round.draft} />
        </div>
      </div>
      {previous ? (
        <div className="space-y-1.5">
          <h4 className="text-sm font-semibold text-slate-900">
            {round.editedFrom !== null
              ? `Changes by ${round.editedBy ?? "the editor"} to draft ${previous.iteration}`
              : `Changes since draft ${previous.iteration}`}
          </h4>
          <DraftDiff
            previous={previous.draft}
            current={round.draft}
            previousLabel={roundTitle(previous)}
            currentLabel={roundTitle(round)}
          />
        </div>
      ) : null}
    </>
  );
}
