import { Skeleton } from "@/components/ui/skeleton";

export default function Loading() {
  return (
    <div role="status" aria-live="polite">
      <span className="sr-only">Loading the run…</span>
      <Skeleton className="mb-3 h-4 w-32" />
      <Skeleton className="mb-3 h-8 w-2/3" />
      <Skeleton className="mb-6 h-5 w-80 max-w-full" />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <Skeleton className="h-72 w-full" />
        <Skeleton className="h-48 w-full" />
      </div>
    </div>
  );
}
