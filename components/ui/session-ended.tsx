/**
 * Shown by a form whose action answered UNAUTHENTICATED (the session ended while someone was typing): sign in
 * again in a new tab, come back, send again. The form keeps what was typed.
 */
export function SessionEnded({ code }: { code: string | undefined }) {
  if (code !== "UNAUTHENTICATED") return null;
  return (
    <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-950">
      Your session has ended.{" "}
      <a href="/sign-in" target="_blank" rel="noopener" className="font-medium text-sky-800 underline">
        Sign in again (opens a new tab)
      </a>
      , then send this again: what you typed stays here.
    </p>
  );
}
