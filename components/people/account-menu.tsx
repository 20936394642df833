import { Button } from "@/components/ui/button";
import type { Role, SignInMethod } from "@/lib/queries";

const METHOD_LABELS: Record<SignInMethod, string> = {
  password: "password",
  oidc: "company sign-in",
  "api-key": "API key",
  cli: "CLI",
  system: "Draftgate itself",
};

/** "Signed in as Ana (reviewer)" and the sign-out button. */
export function AccountMenu({
  name,
  role,
  method,
  signOut,
}: {
  name: string;
  role: Role;
  method: SignInMethod;
  signOut: () => Promise<void>;
}) {
  return (
    <div className="flex flex-wrap items-center gap-3 text-sm">
      <p className="text-slate-700" data-testid="signed-in-as">
        Signed in as <strong className="font-semibold text-slate-900">{name}</strong>{" "}
        <span className="text-slate-600">({role})</span>
        <span className="sr-only">, with {METHOD_LABELS[method]}</span>
      </p>
      <form action={signOut}>
        <Button type="submit" variant="ghost">
          Sign out
        </Button>
      </form>
    </div>
  );
}
