"use client";

import { useActionState, useEffect, useRef, useState } from "react";
import { FormStatus } from "@/components/people/form-helpers";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { ApiKeyInfo } from "@/lib/queries";

export type RevokeApiKeyAction = (previous: ActionState<null>, formData: FormData) => Promise<ActionResult<null>>;

export interface ApiKeyListProps {
  keys: ApiKeyInfo[];
  action: RevokeApiKeyAction;
  /** Called after a key was revoked (to refresh the list). */
  onChanged: () => void;
}

/** The signed-in person's API keys, newest first as the server lists them; live ones can be revoked. */
export function ApiKeyList({ keys, action, onChanged }: ApiKeyListProps) {
  if (keys.length === 0) return <p className="px-4 py-4 text-sm text-slate-600">You have no API keys yet.</p>;
  return (
    <ul className="divide-y divide-slate-200">
      {keys.map((apiKey) => (
        <ApiKeyItem key={apiKey.keyId} apiKey={apiKey} action={action} onChanged={onChanged} />
      ))}
    </ul>
  );
}

function ApiKeyItem({ apiKey, action, onChanged }: { apiKey: ApiKeyInfo } & Omit<ApiKeyListProps, "keys">) {
  // Revoking cannot be undone (whatever uses the key stops working), so it takes a second, explicit click.
  const [isConfirming, setIsConfirming] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const revokeRef = useRef<HTMLButtonElement>(null);
  // Which button gets focus after the confirmation step opens or closes (the one clicked is gone by then).
  const focusNext = useRef<"confirm" | "revoke" | null>(null);
  const [state, formAction, isPending] = useActionState(async (previous: ActionState<null>, formData: FormData) => {
    const result = await action(previous, formData);
    if (result.ok) {
      setIsConfirming(false);
      onChanged();
    }
    return result;
  }, null);

  useEffect(() => {
    if (focusNext.current === "confirm") confirmRef.current?.focus();
    if (focusNext.current === "revoke") revokeRef.current?.focus();
    focusNext.current = null;
  }, [isConfirming]);

  function showConfirmation(isShown: boolean) {
    focusNext.current = isShown ? "confirm" : "revoke";
    setIsConfirming(isShown);
  }

  const isRevoked = apiKey.revokedAt !== null;
  const status = isPending
    ? "Revoking…"
    : state?.ok
      ? `Key “${apiKey.name}” revoked.`
      : state
        ? state.error.message
        : "";

  return (
    <li className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 px-4 py-3 text-sm">
      <div className="min-w-0 space-y-0.5">
        <p className="flex flex-wrap items-center gap-2">
          <span className="break-words font-medium text-slate-900">{apiKey.name}</span>
          <code
            className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-slate-700"
            title="The start of the key"
          >
            {apiKey.prefix}…
          </code>
          {isRevoked ? <Badge tone="muted">Revoked</Badge> : <Badge tone="success">Live</Badge>}
        </p>
        <p className="flex flex-wrap gap-x-3 text-slate-600">
          <span>
            Created <LocalTime iso={apiKey.createdAt} />
          </span>
          <span>
            {apiKey.lastUsedAt ? (
              <>
                Last used <LocalTime iso={apiKey.lastUsedAt} />
              </>
            ) : (
              "Never used"
            )}
          </span>
          {apiKey.revokedAt ? (
            <span>
              Revoked <LocalTime iso={apiKey.revokedAt} />
            </span>
          ) : null}
        </p>
      </div>
      <div className="space-y-1.5">
        {isRevoked ? null : (
          <form action={formAction}>
            <input type="hidden" name="keyId" value={apiKey.keyId} />
            {isConfirming ? (
              <div className="flex flex-wrap items-center gap-2">
                <p className="text-slate-800">Anything using it stops working at once.</p>
                <Button ref={confirmRef} type="submit" variant="danger" disabled={isPending}>
                  Revoke<span className="sr-only"> key {apiKey.name}</span> now
                </Button>
                <Button variant="ghost" onClick={() => showConfirmation(false)} disabled={isPending}>
                  Keep it
                </Button>
              </div>
            ) : (
              <Button ref={revokeRef} onClick={() => showConfirmation(true)} className="text-rose-800">
                Revoke<span className="sr-only"> key {apiKey.name}</span>
              </Button>
            )}
          </form>
        )}
        <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
        <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} className="max-w-xs" />
      </div>
    </li>
  );
}
