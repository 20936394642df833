"use client";

import { ErrorPanel } from "@/components/ui/error-panel";

export default function AppError({ error, retry }: { error: unknown; retry: () => void }) {
  const digest =
    error instanceof Error && "digest" in error && typeof error.digest === "string" ? error.digest : undefined;
  return <ErrorPanel title="This page could not be shown" digest={digest} onRetry={retry} />;
}
