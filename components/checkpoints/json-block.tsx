/** Any JSON value, pretty-printed as text (never interpreted as markup). */
export function JsonBlock({ value, label }: { value: unknown; label: string }) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="max-h-80 overflow-auto whitespace-pre-wrap break-words rounded-md bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600"
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
