import { AccountMenu } from "@/components/people/account-menu";
import { requirePageActor } from "@/lib/auth/current";
import { signOutAction } from "@/lib/actions/sign-out";
import { hasPermission } from "@/lib/services";
import { MainNav } from "../main-nav";

/** Every dashboard page is for signed-in people: others go to sign-in (or to setup, before the first admin exists). */
export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await requirePageActor();
  return (
    <>
      <header className="border-b border-slate-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
          <MainNav canManagePeople={hasPermission(actor, "people:manage")} />
          <AccountMenu name={actor.name} role={actor.role} method={actor.method} signOut={signOutAction} />
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6 sm:py-8">
        {children}
      </main>
    </>
  );
}
