"use client";

import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { CardBody } from "@/components/ui/card";
import { SectionCard } from "@/components/ui/section-card";
import type { InvitationInfo, Person, Role } from "@/lib/queries";
import { InvitationList, type RevokeInvitationAction } from "./invitation-list";
import { InviteForm, type InviteAction } from "./invite-form";
import { PeopleTable } from "./people-table";
import type { ManagePersonAction } from "./person-row";

export interface PeopleSectionsProps {
  people: Person[];
  invitations: InvitationInfo[];
  currentUserId: string | null;
  roles: readonly Role[];
  inviteBaseUrl: string;
  /** How long an invitation link works. */
  invitationValidDays: number;
  actions: { invite: InviteAction; managePerson: ManagePersonAction; revokeInvitation: RevokeInvitationAction };
}

/**
 * The People page's three sections. After any change it refreshes the server-rendered lists (router.refresh
 * keeps this component's state, so a link just created stays on screen).
 */
export function PeopleSections({
  people,
  invitations,
  currentUserId,
  roles,
  inviteBaseUrl,
  invitationValidDays,
  actions,
}: PeopleSectionsProps) {
  const router = useRouter();
  const refresh = useCallback(() => router.refresh(), [router]);
  return (
    <div className="space-y-6">
      <SectionCard
        title="Invite someone"
        description={`They get a link that works once, for ${invitationValidDays} days, and choose their own name and password.`}
      >
        <CardBody>
          <InviteForm action={actions.invite} inviteBaseUrl={inviteBaseUrl} onInvited={refresh} />
        </CardBody>
      </SectionCard>
      <SectionCard
        title={`People (${people.length})`}
        description="Deactivating someone signs them out and stops their API keys at once; their past decisions stay. Reactivate to undo."
      >
        <PeopleTable
          people={people}
          currentUserId={currentUserId}
          roles={roles}
          action={actions.managePerson}
          onChanged={refresh}
        />
      </SectionCard>
      <SectionCard
        title={`Open invitations (${invitations.length})`}
        description="Revoke an invitation to stop its link from working."
      >
        <InvitationList invitations={invitations} action={actions.revokeInvitation} onChanged={refresh} />
      </SectionCard>
    </div>
  );
}
