"use client";

import { useActionState, useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";

type RetryResult = ActionResult<{ runId: string }>;

/**
 * A failed run's error and the way out: retry from its last checkpoint (its submitter or an admin). The cause is
 * in plain words for everyone; the provider's own message (`detail`, which may name internal addresses) comes
 * only to admins, and is shown folded away, as text.
 */
export function RunFailure({
  runId,
  error,
  canRetry,
  action,
  onRetried,
}: {
  runId: string;
  error: { code: string; message: string; detail: string | null } | null;
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
      {error?.detail ? <TechnicalDetail detail={error.detail} /> : null}
      {canRetry ? (
        <form action={formAction} className="mt-3 space-y-2">
          <input type="hidden" name="runId" value={runId} />
          <div className="flex flex-wrap items-center gap-3">
            <Button type="submit" variant="secondary" disabled={isPending}>
              {isPending ? "Retrying…" : "Retry from last checkpoint"}
            </Button>
            <p role="status" aria-live="polite" className="text-sm">
              {isPending
                ? "Starting again from the last checkpoint…"
                : failure && failure.code !== "UNAUTHENTICATED"
                  ? failure.message
                  : state?.ok
                    ? "Retrying."
                    : ""}
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

/** The provider's raw message, for admins: plain text in a disclosure (a URL in it is never a link). */
function TechnicalDetail({ detail }: { detail: string }) {
  return (
    <details className="group mt-3 rounded-md border border-rose-200 bg-white/70">
      <summary className="cursor-pointer list-none rounded-md px-3 py-1.5 text-sm font-medium hover:bg-rose-50 focus-visible:outline-2 focus-visible:outline-sky-600 [&::-webkit-details-marker]:hidden">
        <span aria-hidden="true" className="mr-1.5 inline-block transition-transform group-open:rotate-90">
          ▸
        </span>
        Technical detail (admins only)
      </summary>
      <pre
        tabIndex={0}
        className="max-h-60 overflow-auto whitespace-pre-wrap break-all border-t border-rose-200 px-3 py-2 font-mono text-xs text-slate-900 focus-visible:outline-2 focus-visible:outline-sky-600"
      >
        {detail}
      </pre>
    </details>
  );
}
