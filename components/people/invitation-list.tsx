"use client";

import { useActionState, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { LocalTime } from "@/components/ui/local-time";
import { SessionEnded } from "@/components/ui/session-ended";
import type { ActionResult, ActionState } from "@/lib/actions/types";
import type { InvitationInfo } from "@/lib/queries";
import { FormStatus } from "./form-helpers";

export type RevokeInvitationAction = (previous: ActionState<null>, formData: FormData) => Promise<ActionResult<null>>;

export interface InvitationListProps {
  invitations: InvitationInfo[];
  action: RevokeInvitationAction;
  /** Called after an invitation was revoked (to refresh the list). */
  onChanged: () => void;
}

/** Invitations not used yet: who, which role, until when; each can be revoked so its link stops working. */
export function InvitationList({ invitations, action, onChanged }: InvitationListProps) {
  // The revoked item leaves the list on refresh, taking its own status line along: the news is said here.
  const [revokedEmail, setRevokedEmail] = useState<string | null>(null);
  const onRevoked = (email: string) => {
    setRevokedEmail(email);
    onChanged();
  };
  return (
    <div>
      {invitations.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-600">
          No open invitations. New ones show here until they are used, revoked or expired.
        </p>
      ) : (
        <ul className="divide-y divide-slate-200">
          {invitations.map((invitation) => (
            <InvitationItem
              key={invitation.invitationId}
              invitation={invitation}
              action={action}
              onRevoked={onRevoked}
            />
          ))}
        </ul>
      )}
      <FormStatus
        message={revokedEmail ? `Invitation for ${revokedEmail} revoked: its link no longer works.` : ""}
        isError={false}
        className="px-4 pb-3 empty:pb-0"
      />
    </div>
  );
}

function InvitationItem({
  invitation,
  action,
  onRevoked,
}: {
  invitation: InvitationInfo;
  action: RevokeInvitationAction;
  onRevoked: (email: string) => void;
}) {
  const [state, formAction, isPending] = useActionState(async (previous: ActionState<null>, formData: FormData) => {
    const result = await action(previous, formData);
    if (result.ok) onRevoked(invitation.email);
    return result;
  }, null);
  const status = isPending ? "Revoking…" : state && !state.ok ? state.error.message : "";

  return (
    <li className="flex flex-wrap items-start justify-between gap-x-4 gap-y-2 px-4 py-3 text-sm">
      <div className="min-w-0">
        <p className="flex flex-wrap items-center gap-2">
          <span className="break-words font-medium text-slate-900">{invitation.email}</span>
          <Badge>{invitation.role}</Badge>
        </p>
        <p className="text-slate-600">
          Expires <LocalTime iso={invitation.expiresAt} />
        </p>
      </div>
      <form action={formAction} className="space-y-1.5">
        <input type="hidden" name="invitationId" value={invitation.invitationId} />
        <Button type="submit" disabled={isPending} className="text-rose-800">
          Revoke<span className="sr-only"> the invitation for {invitation.email}</span>
        </Button>
        <SessionEnded code={state && !state.ok ? state.error.code : undefined} />
        <FormStatus message={status} isError={Boolean(state && !state.ok) && !isPending} className="max-w-xs" />
      </form>
    </li>
  );
}
