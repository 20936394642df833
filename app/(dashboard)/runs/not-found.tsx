import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function RunNotFound() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Run not found</h1>
      <EmptyState title="There is no run with this id">
        <p>
          It may have been mistyped. See{" "}
          <Link href="/runs" className="text-sky-800 underline">
            all runs
          </Link>
          .
        </p>
      </EmptyState>
    </div>
  );
}
