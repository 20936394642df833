"use client";

import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { BriefForm } from "@/components/runs/brief-form";
import { submitBriefAction } from "@/lib/actions/submit-brief";

export function NewBriefForm({ maxLength }: { maxLength: number }) {
  const router = useRouter();
  const openRun = useCallback((runId: string) => router.push(`/runs/${runId}`), [router]);
  return <BriefForm action={submitBriefAction} maxLength={maxLength} onSubmitted={openRun} />;
}
