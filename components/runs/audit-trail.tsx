import { LocalTime } from "@/components/ui/local-time";
import type { Decision } from "@/lib/queries";

/** Who did what, oldest first: the submission and every recorded decision. */
export function AuditTrail({ submittedBy, createdAt, decisions }: { submittedBy: string | null; createdAt: string; decisions: Decision[] }) {
  return (
    <ol className="space-y-4 border-l-2 border-slate-200 pl-4">
      <li className="relative">
        <span aria-hidden="true" className="absolute -left-[1.42rem] top-1.5 size-2.5 rounded-full border-2 border-white bg-slate-400" />
        <p className="text-sm">
          <strong className="font-semibold">{submittedBy ?? "Someone"}</strong> submitted the brief
        </p>
        <p className="text-xs text-slate-600">
          <LocalTime iso={createdAt} />
        </p>
      </li>
      {decisions.map((decision) => (
        <li key={`${decision.requestId}-${decision.checkpointId}`} className="relative">
          <span aria-hidden="true" className={`absolute -left-[1.42rem] top-1.5 size-2.5 rounded-full border-2 border-white ${decision.isApproval ? "bg-emerald-600" : "bg-amber-500"}`} />
          <p className="text-sm">
            <strong className="font-semibold">{decision.decidedBy ?? "Unnamed reviewer"}</strong>{" "}
            {decision.isApproval ? "approved" : "requested a revision of"} draft {decision.iteration ?? "?"}
          </p>
          {!decision.isApproval ? (
            <blockquote className="mt-1 whitespace-pre-wrap break-words border-l-2 border-amber-300 pl-2 text-sm text-slate-800">
              {decision.response.trim() === "" ? <em>No guidance given (default guidance used)</em> : decision.response}
            </blockquote>
          ) : null}
          <p className="text-xs text-slate-600">
            <LocalTime iso={decision.decidedAt} withSeconds />
          </p>
        </li>
      ))}
    </ol>
  );
}
