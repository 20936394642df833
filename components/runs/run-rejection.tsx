import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { CardBody } from "@/components/ui/card";
import { LocalTime } from "@/components/ui/local-time";
import { SectionCard } from "@/components/ui/section-card";

export interface RunRejectionProps {
  /** RunDetail.rejection; null for a rejected run whose reason was not recorded. */
  rejection: { reason: string; by: string | null; at: string } | null;
  /** The draft that was rejected. */
  draftNumber: number | null;
  /** For admins: the checkpoint of the rejected draft's review, to re-open the run from. */
  reopenHref: string | null;
}

/** A rejected run: who rejected it, when and why; nothing was published. Admins get the way to re-open it. */
export function RunRejection({ rejection, draftNumber, reopenHref }: RunRejectionProps) {
  return (
    <SectionCard
      title={
        <>
          Rejected
          {draftNumber !== null ? <span className="font-normal text-slate-700"> · draft {draftNumber}</span> : null}
        </>
      }
      tone="danger"
      meta={
        <span className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <Badge tone="danger">
            <span aria-hidden="true">⊘</span> Not published
          </Badge>
          {rejection ? (
            <span>
              by {rejection.by ?? "an unnamed reviewer"}, <LocalTime iso={rejection.at} />
            </span>
          ) : null}
        </span>
      }
    >
      <CardBody className="space-y-3">
        <div>
          <h3 className="text-sm font-semibold text-slate-900">Reason</h3>
          <p className="mt-1 whitespace-pre-wrap break-words text-slate-900">
            {rejection?.reason ?? "No reason was recorded."}
          </p>
        </div>
        <p className="text-sm text-slate-700">
          The run has ended; no further drafts will be written.{" "}
          {reopenHref ? (
            <>
              As an admin you can{" "}
              <Link href={reopenHref} className="font-medium text-sky-800 underline">
                re-open it from draft {draftNumber}’s review
              </Link>
              , with a reason.
            </>
          ) : (
            "Only an admin can re-open it."
          )}
        </p>
      </CardBody>
    </SectionCard>
  );
}
