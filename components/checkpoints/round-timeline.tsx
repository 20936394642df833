"use client";

import { useId, useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/components/ui/cn";
import { DisclosureButton } from "@/components/ui/disclosure-button";
import type { CheckpointListItem, ReviewRound } from "@/lib/queries";
import { roundStateLabels, roundTitle } from "@/components/runs/review-rounds";
import { CheckpointItem, OlderBranches } from "./checkpoint-timeline";
import { groupCheckpointsByRound, superstepRange } from "./checkpoint-rounds";

export interface RoundTimelineProps {
  runId: string;
  checkpoints: CheckpointListItem[];
  /** RunDetail.rounds: the drafts of the newest branch, oldest first. */
  rounds: ReviewRound[];
}

/**
 * The checkpoint timeline folded by review round: one line per draft (the checkpoints that wrote it and asked for its
 * review), then what came after the last review, then any older branches. Each line opens to its supersteps.
 */
export function RoundTimeline({ runId, checkpoints, rounds }: RoundTimelineProps) {
  const { groups, offLineage } = groupCheckpointsByRound(checkpoints, rounds);
  const lastRound = rounds.at(-1);
  return (
    <ol aria-label="Checkpoints by round" className="space-y-2">
      {groups.map((group) => {
        const title = group.round
          ? roundTitle(group.round)
          : lastRound
            ? `After draft ${lastRound.iteration}`
            : "Before the first draft";
        const newest = group.checkpoints.at(-1);
        return (
          <TimelineGroup
            key={group.key}
            title={title}
            meta={`${group.checkpoints.length} ${group.checkpoints.length === 1 ? "checkpoint" : "checkpoints"} · ${superstepRange(group.checkpoints)}`}
            badges={
              <>
                {group.round ? (
                  <Badge tone="muted">{roundStateLabels[group.round.state]}</Badge>
                ) : newest ? (
                  <Badge tone="muted">{newest.status}</Badge>
                ) : null}
                {group.checkpoints.some((checkpoint) => checkpoint.isHead) ? <Badge tone="info">Head</Badge> : null}
              </>
            }
            isOnHeadLineage
          >
            <ol aria-label={`${title}: checkpoints`} className="space-y-1">
              {group.checkpoints.map((checkpoint) => (
                <li key={checkpoint.checkpointId}>
                  <CheckpointItem runId={runId} checkpoint={checkpoint} isSelected={false} />
                </li>
              ))}
            </ol>
          </TimelineGroup>
        );
      })}
      {offLineage.length > 0 ? (
        <TimelineGroup
          title="Older branches"
          meta={`${offLineage.length} ${offLineage.length === 1 ? "checkpoint" : "checkpoints"} no longer on the newest lineage`}
          badges={null}
          isOnHeadLineage={false}
        >
          <OlderBranches runId={runId} checkpoints={offLineage} all={checkpoints} />
        </TimelineGroup>
      ) : null}
    </ol>
  );
}

function TimelineGroup({
  title,
  meta,
  badges,
  isOnHeadLineage,
  children,
}: {
  title: string;
  meta: string;
  badges: ReactNode;
  isOnHeadLineage: boolean;
  children: ReactNode;
}) {
  const [isOpen, setIsOpen] = useState(false);
  const ids = { panel: useId(), meta: useId() };
  return (
    <li
      className={cn(
        "rounded-md border-l-4 bg-white py-1.5 pl-3 pr-2",
        isOnHeadLineage ? "border-emerald-600" : "border-slate-300",
      )}
    >
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <DisclosureButton
          isOpen={isOpen}
          onToggle={() => setIsOpen((open) => !open)}
          panelId={ids.panel}
          describedBy={ids.meta}
          className="text-sm font-semibold text-slate-900"
        >
          {title}
        </DisclosureButton>
        <span id={ids.meta} className="text-xs text-slate-600">
          {meta}
        </span>
        {badges}
      </div>
      <div id={ids.panel} hidden={!isOpen} className="mt-2">
        {isOpen ? children : null}
      </div>
    </li>
  );
}
