import { cn } from "@/components/ui/cn";
import { LocalTime } from "@/components/ui/local-time";
import type { ReviewRound } from "@/lib/queries";
import { approvalCount } from "./review-rounds";

type RoundApproval = ReviewRound["approvals"][number];

const dismissals: Record<NonNullable<RoundApproval["dismissed"]>, string> = {
  "draft changed": "dismissed: draft changed",
  superseded: "dismissed: superseded by a newer branch",
};

/**
 * A round's approvals: "1 of 2 approvals: Rita ✓", then any that no longer count, each marked in words with why
 * ("dismissed: draft changed"). `showCount` is off for rounds that ended without the quorum (the count would mislead).
 */
export function ApprovalsList({
  approvals,
  required,
  showCount,
  className,
}: {
  approvals: ReviewRound["approvals"];
  required: number;
  showCount: boolean;
  className?: string;
}) {
  const counted = approvals.filter((approval) => approval.dismissed === null);
  const dismissed = approvals.filter((approval) => approval.dismissed !== null);
  if (!showCount && approvals.length === 0) return null;
  return (
    <div className={cn("space-y-1 text-sm", className)}>
      {showCount || counted.length > 0 ? (
        <p className="text-slate-800">
          {showCount ? (
            <strong className="font-semibold">{approvalCount(counted.length, required)}</strong>
          ) : (
            <strong className="font-semibold">Approved by</strong>
          )}
          {counted.length > 0 ? (showCount ? ": " : " ") : null}
          {counted.map((approval, index) => (
            <span key={`${approval.byId ?? approval.by}-${approval.at}`}>
              {index > 0 ? ", " : null}
              <ApproverName approval={approval} />
            </span>
          ))}
        </p>
      ) : null}
      {dismissed.length > 0 ? (
        <ul aria-label="Dismissed approvals" className="space-y-0.5">
          {dismissed.map((approval) => (
            <li key={`${approval.byId ?? approval.by}-${approval.at}`} className="text-slate-600">
              <s className="decoration-slate-500">
                <ApproverName approval={approval} />
              </s>{" "}
              <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium text-slate-700">
                {dismissals[approval.dismissed!]}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function ApproverName({ approval }: { approval: RoundApproval }) {
  return (
    <span>
      {approval.by}{" "}
      <span aria-hidden="true" className="text-emerald-700">
        ✓
      </span>
      {approval.kind === "edit" ? <span className="text-slate-600"> (with their edit)</span> : null}
      <span className="sr-only">
        {" "}
        approved <LocalTime iso={approval.at} />
      </span>
    </span>
  );
}
