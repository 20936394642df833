import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { SetUpForm } from "@/components/people/set-up-form";
import { Card, CardBody } from "@/components/ui/card";
import { setUpAction } from "@/lib/actions/set-up";
import { getService, MIN_PASSWORD_LENGTH } from "@/lib/services";

export const metadata: Metadata = { title: "Set up Draftgate" };

/** First run only: once the first admin exists, this address goes to sign-in. */
export default async function SetUpPage() {
  await connection();
  if (!getService().people.needsSetup()) redirect("/sign-in");
  return (
    <Card>
      <CardBody className="space-y-5 sm:px-6 sm:py-6">
        <div className="space-y-1">
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">Set up Draftgate</h1>
          <p className="text-sm text-slate-600">
            Create the first admin account: yours. As admin you invite your team next, and choose who reviews drafts.
          </p>
        </div>
        <SetUpForm action={setUpAction} minPasswordLength={MIN_PASSWORD_LENGTH} />
      </CardBody>
    </Card>
  );
}
