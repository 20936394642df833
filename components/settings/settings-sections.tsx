"use client";

import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { SectionCard } from "@/components/people/section-card";
import { CardBody } from "@/components/ui/card";
import type { ApiKeyInfo, ReviewPolicy, WorkspaceSettings } from "@/lib/queries";
import { ApiKeyList, type RevokeApiKeyAction } from "./api-key-list";
import { CreateApiKeyForm, type CreateApiKeyAction } from "./create-api-key-form";
import { ReviewPolicySection, type UpdateReviewPolicyAction } from "./review-policy-form";
import { WorkspaceSettingsForm, type UpdateSettingsAction } from "./workspace-settings-form";

export interface SettingsSectionsProps {
  apiKeys: ApiKeyInfo[];
  /** Null for people who may not change workspace settings: the section is not shown. */
  workspace: WorkspaceSettings | null;
  /** The approval policy new runs start with: everyone sees it. */
  reviewPolicy: ReviewPolicy;
  /** Whether the person looking may change the approval policy (admins). */
  canManagePolicy: boolean;
  actions: { createApiKey: CreateApiKeyAction; revokeApiKey: RevokeApiKeyAction; updateSettings: UpdateSettingsAction; updateReviewPolicy: UpdateReviewPolicyAction };
}

/**
 * The Settings page's sections: everyone's API keys, the approval policy (admins change it, others read it), and
 * the workspace switches for admins. After a change it
 * refreshes the server-rendered data (router.refresh keeps this state, so a key just created stays on screen).
 */
export function SettingsSections({ apiKeys, workspace, reviewPolicy, canManagePolicy, actions }: SettingsSectionsProps) {
  const router = useRouter();
  const refresh = useCallback(() => router.refresh(), [router]);
  return (
    <div className="space-y-6">
      <SectionCard
        headingId="api-keys-heading"
        title="API keys"
        description="For scripts and the JSON API: a key acts as you, with your role. Revoke a key you no longer use."
      >
        <CardBody className="border-b border-slate-200">
          <CreateApiKeyForm action={actions.createApiKey} onCreated={refresh} />
        </CardBody>
        <h3 className="sr-only">Your keys</h3>
        <ApiKeyList keys={apiKeys} action={actions.revokeApiKey} onChanged={refresh} />
      </SectionCard>
      <SectionCard
        headingId="approval-policy-heading"
        title="Approval policy"
        description={canManagePolicy ? "How many reviewers must approve a draft before it is published." : "How many reviewers must approve a draft before it is published. Admins change it."}
      >
        <CardBody>
          <ReviewPolicySection policy={reviewPolicy} action={canManagePolicy ? actions.updateReviewPolicy : null} onSaved={refresh} />
        </CardBody>
      </SectionCard>
      {workspace ? (
        <SectionCard headingId="workspace-heading" title="Workspace" description="These apply to everyone in this workspace.">
          <CardBody>
            <WorkspaceSettingsForm settings={workspace} action={actions.updateSettings} onSaved={refresh} />
          </CardBody>
        </SectionCard>
      ) : null}
    </div>
  );
}
