import { Alert } from "@/components/ui/alert";
import { LocalTime } from "@/components/ui/local-time";
import type { ActionError } from "@/lib/actions/types";

/** Why a decision was not recorded because someone (or something) got there first. */
export function AnswerConflictNotice({ error }: { error: ActionError }) {
  if (error.code === "REQUEST_ALREADY_ANSWERED") {
    const by =
      typeof error.details?.answeredBy === "string" && error.details.answeredBy !== ""
        ? error.details.answeredBy
        : "another reviewer";
    const at = typeof error.details?.answeredAt === "string" ? error.details.answeredAt : null;
    return (
      <Alert tone="warning" role="alert" title="Your decision was not recorded">
        <p>
          Already answered by <strong className="font-semibold">{by}</strong>
          {at ? (
            <>
              {" "}
              at <LocalTime iso={at} withSeconds />
            </>
          ) : null}
          . The page now shows where the run went from there.
        </p>
      </Alert>
    );
  }
  if (error.code === "DRAFT_CHANGED") {
    return (
      <Alert tone="warning" role="alert" title="The draft changed since you opened it">
        <p>Your decision was not recorded. The page now shows the current draft: read it and decide again.</p>
      </Alert>
    );
  }
  const title = error.code === "REQUEST_SUPERSEDED" ? "This request was superseded" : "Your decision was not recorded";
  return (
    <Alert tone="warning" role="alert" title={title}>
      <p>{error.message}</p>
    </Alert>
  );
}
