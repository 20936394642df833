import { Badge } from "@/components/ui/badge";
import { CardBody } from "@/components/ui/card";
import { Age } from "@/components/ui/local-time";
import { SectionCard } from "@/components/ui/section-card";
import type { ReviewRound, RunListItem } from "@/lib/queries";
import { ApprovalsList } from "./approvals-list";
import { DeadlineStatus } from "./deadline-status";
import { DraftDiff } from "./draft-diff";
import { MarkdownView } from "./markdown-view";
import { roundTitle } from "./review-rounds";

export interface CurrentRoundProps {
  round: ReviewRound;
  /** The draft it is compared with: the one the writer revised, or for an edit the draft it edits. */
  previous: ReviewRound | null;
  requiredApprovals: number;
  /** When the draft is due and what its deadline did so far; null for requests from before deadlines. */
  deadline: RunListItem["deadline"];
  /** When the data shown was read, for "Due in 3 h" (see useClock). */
  readAt: number;
}

/** The draft under review, emphasised: when it is due, its approvals so far, the text rendered, and what changed since the draft before it. */
export function CurrentRound({ round, previous, requiredApprovals, deadline, readAt }: CurrentRoundProps) {
  const isEdit = round.editedFrom !== null;
  const diffTitle = previous
    ? isEdit
      ? `Changes by ${round.editedBy ?? "the editor"} to draft ${previous.iteration}`
      : `Changes since draft ${previous.iteration}`
    : null;
  return (
    <>
      <SectionCard
        title={roundTitle(round)}
        tone="warning"
        meta={
          <>
            <span className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
              <Badge tone="warning">Awaiting review</Badge>
              <Age iso={round.createdAt} prefix="waiting" />
            </span>
            {deadline ? <DeadlineStatus deadline={deadline} readAt={readAt} className="w-full" /> : null}
            <ApprovalsList
              approvals={round.approvals}
              required={requiredApprovals}
              showCount={requiredApprovals > 1 || round.approvals.length > 0}
              className="w-full"
            />
          </>
        }
      >
        <CardBody>
          <MarkdownView text={round.draft} />
        </CardBody>
      </SectionCard>
      {previous && diffTitle ? (
        <SectionCard title={diffTitle}>
          <CardBody>
            <DraftDiff
              previous={previous.draft}
              current={round.draft}
              previousLabel={roundTitle(previous)}
              currentLabel={roundTitle(round)}
            />
          </CardBody>
        </SectionCard>
      ) : null}
    </>
  );
}
