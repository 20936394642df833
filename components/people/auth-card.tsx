import Link from "next/link";
import type { ReactNode } from "react";
import { Card, CardBody } from "@/components/ui/card";

/** The sign-in, sign-up, setup and invitation pages' card: the page's heading, a line or two under it, then the form. */
export function AuthCard({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card>
      <CardBody className="space-y-5 sm:px-6 sm:py-6">
        <div className="space-y-1">
          <h1 className="text-xl font-semibold tracking-tight text-slate-900">{title}</h1>
          {description}
        </div>
        {children}
      </CardBody>
    </Card>
  );
}

/** "Already have an account? Sign in", under the forms that create one. */
export function SignInPrompt() {
  return (
    <p className="text-sm text-slate-700">
      Already have an account?{" "}
      <Link href="/sign-in" className="font-medium text-sky-800 underline">
        Sign in
      </Link>
    </p>
  );
}
