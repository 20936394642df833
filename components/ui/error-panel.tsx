import { Button } from "./button";

/** What an error boundary shows: a plain explanation, the error id for the logs, and a retry. */
export function ErrorPanel({ title, digest, onRetry }: { title: string; digest?: string; onRetry: () => void }) {
  return (
    <div role="alert" className="rounded-lg border border-rose-300 bg-white p-6">
      <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
      <p className="mt-2 text-sm text-slate-700">
        Something went wrong on our side while loading this page. Your work is saved in checkpoints; trying again
        usually helps.
      </p>
      {digest ? <p className="mt-1 font-mono text-xs text-slate-600">Error id: {digest}</p> : null}
      <Button variant="primary" className="mt-4" onClick={onRetry}>
        Try again
      </Button>
    </div>
  );
}
