import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { AuthCard } from "@/components/people/auth-card";
import { SetUpForm } from "@/components/people/set-up-form";
import { setUpAction } from "@/lib/actions/set-up";
import { getService, MIN_PASSWORD_LENGTH } from "@/lib/services";

export const metadata: Metadata = { title: "Set up Draftgate" };

/** First run only: once the first admin exists, this address goes to sign-in. */
export default async function SetUpPage() {
  await connection();
  if (!(await getService().people.needsSetup())) redirect("/sign-in");
  return (
    <AuthCard
      title="Set up Draftgate"
      description={
        <p className="text-sm text-slate-600">
          Create the first admin account: yours. As admin you invite your team next, and choose who reviews drafts.
        </p>
      }
    >
      <SetUpForm action={setUpAction} minPasswordLength={MIN_PASSWORD_LENGTH} />
    </AuthCard>
  );
}
