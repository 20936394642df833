"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { ActionResult, ActionState } from "@/lib/actions/types";

type RetryResult = ActionResult<{ runId: string }>;

/** A failed run's error and the way out: retry from its last checkpoint. */
export function RunFailure({ runId, error, action, onRetried }: {
  runId: string;
  error: { code: string; message: string } | null;
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
  return (
    <Alert tone="danger" title="The run failed">
      <p className="whitespace-pre-wrap break-words">{error?.message || "The run stopped without an error message."}</p>
      {error?.code ? <p className="mt-1 font-mono text-xs">{error.code}</p> : null}
      <form action={formAction} className="mt-3 flex flex-wrap items-center gap-3">
        <input type="hidden" name="runId" value={runId} />
        <Button type="submit" variant="secondary" disabled={isPending}>
          {isPending ? "Retrying…" : "Retry from last checkpoint"}
        </Button>
        <p role="status" aria-live="polite" className="text-sm">
          {isPending ? "Starting again from the last checkpoint…" : state && !state.ok ? state.error.message : state?.ok ? "Retrying." : ""}
        </p>
      </form>
    </Alert>
  );
}
