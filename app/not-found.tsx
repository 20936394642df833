import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";

export default function NotFound() {
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <EmptyState title="There is nothing at this address">
        <p>
          Go to the{" "}
          <Link href="/reviews" className="text-sky-800 underline">
            review inbox
          </Link>{" "}
          or{" "}
          <Link href="/runs" className="text-sky-800 underline">
            all runs
          </Link>
          .
        </p>
      </EmptyState>
    </div>
  );
}
