/** Sign-in, first-run setup and invitations: a narrow page with the product name, no navigation. */
export default function AuthLayout({ children }: { children: React.ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-4 py-10">
      <p className="mb-6 flex items-center gap-2 text-lg font-semibold tracking-tight text-slate-900">
        <span
          aria-hidden="true"
          className="grid size-7 place-items-center rounded-md bg-emerald-700 text-sm text-white"
        >
          ✓
        </span>
        Draftgate
      </p>
      {children}
    </main>
  );
}
