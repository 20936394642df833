import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { AuthCard, SignInPrompt } from "@/components/people/auth-card";
import { SignUpForm } from "@/components/people/sign-up-form";
import { Alert } from "@/components/ui/alert";
import { signUpAction } from "@/lib/actions/sign-up";
import { currentActor } from "@/lib/auth/current";
import { getService, MIN_PASSWORD_LENGTH } from "@/lib/services";

export const metadata: Metadata = { title: "Create an account" };

/** Open sign-up, only while an admin allows it; new accounts are authors. */
export default async function SignUpPage() {
  await connection();
  const people = getService().people;
  if (await people.needsSetup()) redirect("/setup");
  if (await currentActor()) redirect("/reviews");

  if (!(await people.getSettings()).allowSignUp) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold tracking-tight text-slate-900">Create an account</h1>
        <Alert tone="info">Sign-up is closed; ask an admin to invite you.</Alert>
        <SignInPrompt />
      </div>
    );
  }

  return (
    <div className="space-y-4">
      <AuthCard
        title="Create an account"
        description={
          <p className="text-sm text-slate-600">
            You join as an author: you submit briefs and follow their runs. An admin can give you more rights later.
          </p>
        }
      >
        <SignUpForm action={signUpAction} minPasswordLength={MIN_PASSWORD_LENGTH} />
      </AuthCard>
      <SignInPrompt />
    </div>
  );
}
