import type { Metadata } from "next";
import { connection } from "next/server";
import { AcceptInvitationForm } from "@/components/people/accept-invitation-form";
import { AuthCard, SignInPrompt } from "@/components/people/auth-card";
import { Alert } from "@/components/ui/alert";
import { LocalTime } from "@/components/ui/local-time";
import { acceptInvitationAction } from "@/lib/actions/accept-invitation";
import { getService, isServiceError, MIN_PASSWORD_LENGTH, type Role } from "@/lib/services";

export const metadata: Metadata = { title: "Accept invitation" };

const ROLE_SUMMARIES = {
  author: "You can submit briefs and follow their runs.",
  reviewer: "You can submit briefs, and approve drafts or send them back with guidance.",
  admin: "You can do everything: review drafts, manage people and settings, branch and re-open runs.",
} as const satisfies Record<Role, string>;

/** The invitation behind a link, or why the link cannot be used (used, revoked, expired or mistyped). */
async function readInvitation(
  token: string,
): Promise<{ invitation: { email: string; role: Role; expiresAt: string } } | { problem: string }> {
  try {
    return { invitation: await getService().people.describeInvitation(token) };
  } catch (error) {
    if (isServiceError(error) && error.code === "INVITATION_INVALID") return { problem: error.message };
    throw error;
  }
}

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  await connection();
  const { token } = await params;
  const found = await readInvitation(token);
  if ("problem" in found) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">This invitation cannot be used</h1>
        <Alert tone="warning">{found.problem}</Alert>
        <SignInPrompt />
      </div>
    );
  }

  const { invitation } = found;
  return (
    <AuthCard
      title="Join Draftgate"
      description={
        <>
          <p className="text-sm text-slate-700">
            You are invited as <strong className="font-semibold">{invitation.role}</strong> with{" "}
            <strong className="font-semibold break-words">{invitation.email}</strong>. {ROLE_SUMMARIES[invitation.role]}
          </p>
          <p className="text-sm text-slate-600">
            The link works once, until <LocalTime iso={invitation.expiresAt} />.
          </p>
        </>
      }
    >
      <AcceptInvitationForm
        action={acceptInvitationAction}
        token={token}
        email={invitation.email}
        minPasswordLength={MIN_PASSWORD_LENGTH}
      />
    </AuthCard>
  );
}
