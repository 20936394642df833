"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";

type RetryResult = ActionResult<{ runId: string }>;

/** A failed run's error and the way out: retry from its last checkpoint (its submitter or an admin). */
export function RunFailure({ runId, error, canRetry, action, onRetried }: {
  runId: string;
  error: { code: string; message: string } | null;
  /** May the person looking retry it (they submitted the brief, or are an admin)? */
  canRetry: boolean;
  action: (previous: ActionState<{ runId: string }>, formData: FormData) => Promise<RetryResult>;
  onRetried: () => void;
}) {
  const [state, formAction, isPending] = useActionState(action, null);
  const reported = useRef<RetryResult | null>(null);
  useEffect(() => {
    if (state?.ok && reported.current !== state) {
      reported.current = state;
      onRetried();
    }
  }, [state, onRetried]);
  const failure = state && !state.ok ? state.error : null;
  return (
    <Alert tone="danger" title="The run failed">
      <p className="whitespace-pre-wrap break-words">{error?.message || "The run stopped without an error message."}</p>
      {error?.code ? <p className="mt-1 font-mono text-xs">{error.code}</p> : null}
      {canRetry ? (
        <form action={formAction} className="mt-3 space-y-2">
          <input type="hidden" name="runId" value={runId} />
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" variant="secondary" disabled={isPending}>
              {isPending ? "Retrying…" : "Retry from last checkpoint"}
            </Button>
            <p role="status" aria-live="polite" className="text-sm">
              {isPending ? "Starting again from the last checkpoint…" : failure && failure.code !== "UNAUTHENTICATED" ? failure.message : state?.ok ? "Retrying." : ""}
            </p>
          </div>
          <SessionEnded code={failure?.code} />
        </form>
      ) : (
        <p className="mt-3 text-sm">The person who submitted this brief, or an admin, can retry it.</p>
      )}
    </Alert>
  );
}
