import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { z } from "zod";
import { AuthCard } from "@/components/people/auth-card";
import { OidcSignInForm } from "@/components/people/oidc-sign-in-form";
import { SignInForm } from "@/components/people/sign-in-form";
import { Alert } from "@/components/ui/alert";
import { signInAction } from "@/lib/actions/sign-in";
import { signInWithOidcAction } from "@/lib/actions/sign-in-with-oidc";
import { oidcSignInName } from "@/lib/auth";
import { currentActor } from "@/lib/auth/current";
import { safeReturnPath } from "@/lib/auth/return-path";
import { getService } from "@/lib/services";

export const metadata: Metadata = { title: "Sign in" };

const textParam = z.string().optional().catch(undefined);
// The identity provider's failure comes back as `?error=oidc&error=<its code>`, so `error` may repeat.
const searchParamsSchema = z.object({
  returnTo: textParam,
  signedOut: textParam,
  error: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .catch(undefined),
});

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await connection();
  const params = searchParamsSchema.parse(await searchParams);
  const people = getService().people;
  if (await people.needsSetup()) redirect("/setup");
  const returnTo = params.returnTo ? safeReturnPath(params.returnTo) : "/reviews";
  if (await currentActor()) redirect(returnTo.startsWith("/sign-in") ? "/reviews" : returnTo);

  const oidcName = oidcSignInName();
  const isOidcFailure = [params.error ?? []].flat().includes("oidc");
  const { allowSignUp } = await people.getSettings();

  return (
    <div className="space-y-4">
      {params.signedOut === "1" ? (
        <Alert tone="success" role="status">
          You are signed out.
        </Alert>
      ) : null}
      {isOidcFailure ? (
        <Alert tone="danger" role="alert" title={`Signing in with ${oidcName ?? "company sign-in"} did not work`}>
          Try again, or sign in with your email and password. If it keeps failing, ask an admin to check your account.
        </Alert>
      ) : null}
      <AuthCard title="Sign in">
        <SignInForm action={signInAction} returnTo={returnTo} />
        {oidcName ? (
          <>
            <p className="flex items-center gap-3 text-sm text-slate-600 before:h-px before:flex-1 before:bg-slate-200 after:h-px after:flex-1 after:bg-slate-200">
              or
            </p>
            <OidcSignInForm action={signInWithOidcAction} providerName={oidcName} returnTo={returnTo} />
          </>
        ) : null}
      </AuthCard>
      <p className="text-sm text-slate-700">
        {allowSignUp ? (
          <>
            New here?{" "}
            <Link href="/sign-up" className="font-medium text-sky-800 underline">
              Create an account
            </Link>
          </>
        ) : (
          "No account yet? Ask an admin of your team to invite you."
        )}
      </p>
    </div>
  );
}
