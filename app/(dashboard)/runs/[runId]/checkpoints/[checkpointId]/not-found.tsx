import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function CheckpointNotFound() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Checkpoint not found</h1>
      <EmptyState title="This run has no checkpoint with this id">
        <p>
          See{" "}
          <Link href="/runs" className="text-sky-800 underline">
            all runs
          </Link>
          .
        </p>
      </EmptyState>
    </div>
  );
}
