import type { Metadata } from "next";
import { MAX_BRIEF_LENGTH } from "@/lib/release-notes";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { requirePageActor } from "@/lib/auth/current";
import { NewBriefForm } from "./new-brief-form";

export const metadata: Metadata = { title: "New brief" };

export default async function NewBriefPage() {
  const actor = await requirePageActor();
  return (
    <div className="max-w-3xl">
      <PageHeader
        title="New brief"
        description={`Describe the release. The writer drafts release notes from it, then a reviewer approves them or asks for changes. You submit it as ${actor.name}.`}
      />
      <Card>
        <CardBody>
          <NewBriefForm maxLength={MAX_BRIEF_LENGTH} />
        </CardBody>
      </Card>
    </div>
  );
}
