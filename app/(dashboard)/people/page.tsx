import type { Metadata } from "next";
import { connection } from "next/server";
import { z } from "zod";
import { PeopleSections } from "@/components/people/people-sections";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { invitePersonAction } from "@/lib/actions/invite-person";
import { managePersonAction } from "@/lib/actions/manage-person";
import { revokeInvitationAction } from "@/lib/actions/revoke-invitation";
import { requirePageActor } from "@/lib/auth/current";
import { getEnv } from "@/lib/env";
import { getService, hasPermission, INVITATION_TTL_MS, roles } from "@/lib/services";

export const metadata: Metadata = { title: "People" };

const DAY_MS = 24 * 60 * 60 * 1000;
const searchParamsSchema = z.object({ welcome: z.string().optional().catch(undefined) });

export default async function PeoplePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const actor = await requirePageActor();
  if (!hasPermission(actor, "people:manage")) {
    return (
      <>
        <PageHeader title="People" />
        <Alert tone="warning" title="Only admins can manage people.">
          You are signed in as {actor.role === "reviewer" ? "a" : "an"} {actor.role}. Ask an admin if you need someone
          invited or a role changed.
        </Alert>
      </>
    );
  }

  const { welcome } = searchParamsSchema.parse(await searchParams);
  const people = getService().people;
  return (
    <div className="max-w-4xl">
      <PageHeader
        title="People"
        description="Invite your team, choose what each person may do, and deactivate accounts that should stop working."
      />
      {welcome === "1" ? (
        <Alert tone="success" role="status" className="mb-6">
          Draftgate is set up. Invite your reviewers below.
        </Alert>
      ) : null}
      <PeopleSections
        people={await people.listPeople(actor)}
        invitations={await people.listInvitations(actor)}
        currentUserId={actor.userId}
        roles={roles}
        inviteBaseUrl={`${getEnv().APP_URL}/invite/`}
        invitationValidDays={Math.round(INVITATION_TTL_MS / DAY_MS)}
        actions={{
          invite: invitePersonAction,
          managePerson: managePersonAction,
          revokeInvitation: revokeInvitationAction,
        }}
      />
    </div>
  );
}
