"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { CardBody } from "@/components/ui/card";
import { SectionCard } from "@/components/ui/section-card";
import type { ApiKeyInfo, NotificationPreferences, Reviewer, ReviewPolicy, WorkspaceSettings } from "@/lib/queries";
import { ApiKeyList, type RevokeApiKeyAction } from "./api-key-list";
import { CreateApiKeyForm, type CreateApiKeyAction } from "./create-api-key-form";
import { NotificationPreferencesForm, type UpdateNotificationPreferencesAction } from "./notification-preferences-form";
import { ReviewPolicySection, type UpdateReviewPolicyAction } from "./review-policy-form";
import { WorkspaceSettingsForm, type UpdateSettingsAction } from "./workspace-settings-form";

export interface SettingsSectionsProps {
  apiKeys: ApiKeyInfo[];
  /** What the person looking hears of by email. */
  notifications: NotificationPreferences;
  /** The admins' page of notification channels and deliveries; null for people who may not see it. */
  notificationChannelsHref: string | null;
  /** Null for people who may not change workspace settings: the section is not shown. */
  workspace: WorkspaceSettings | null;
  /** The approval policy new runs start with: everyone sees it. */
  reviewPolicy: ReviewPolicy;
  /** Whether the person looking may change the approval policy (admins). */
  canManagePolicy: boolean;
  /** Whom the policy can escalate to (active reviewers and admins); empty for those who may not change it. */
  reviewers: Reviewer[];
  actions: {
    createApiKey: CreateApiKeyAction;
    revokeApiKey: RevokeApiKeyAction;
    updateSettings: UpdateSettingsAction;
    updateReviewPolicy: UpdateReviewPolicyAction;
    updateNotificationPreferences: UpdateNotificationPreferencesAction;
  };
}

/**
 * The Settings page's sections: everyone's email notifications (`#notifications`, where emails' unsubscribe links
 * lead) and API keys, the approval policy (admins change it, others read it), and the workspace switches for
 * admins. After a change it refreshes the server-rendered data (router.refresh keeps this state, so a key just
 * created stays on screen).
 */
export function SettingsSections({
  apiKeys,
  notifications,
  notificationChannelsHref,
  workspace,
  reviewPolicy,
  canManagePolicy,
  reviewers,
  actions,
}: SettingsSectionsProps) {
  const router = useRouter();
  const refresh = useCallback(() => router.refresh(), [router]);
  return (
    <div className="space-y-6">
      <SectionCard
        id="notifications"
        className="scroll-mt-6"
        title="Notifications"
        description="What Draftgate emails you about. Each email links to the run here: deciding always happens on the run page, signed in."
      >
        <CardBody>
          <NotificationPreferencesForm
            preferences={notifications}
            action={actions.updateNotificationPreferences}
            channelsHref={notificationChannelsHref}
            onSaved={refresh}
          />
        </CardBody>
        {notificationChannelsHref ? (
          <CardBody className="border-t border-slate-200 text-sm text-slate-700">
            <p>
              As an admin, you set up Slack and webhooks for the whole workspace, and see every email and post sent, on{" "}
              <Link href={notificationChannelsHref} className="font-medium text-sky-800 underline">
                Notification channels
              </Link>
              .
            </p>
          </CardBody>
        ) : null}
      </SectionCard>
      <SectionCard
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
        title="Approval policy"
        description={
          canManagePolicy
            ? "How many reviewers must approve a draft before it is published, and by when."
            : "How many reviewers must approve a draft before it is published, and by when. Admins change it."
        }
      >
        <CardBody>
          <ReviewPolicySection
            policy={reviewPolicy}
            action={canManagePolicy ? actions.updateReviewPolicy : null}
            reviewers={reviewers}
            onSaved={refresh}
          />
        </CardBody>
      </SectionCard>
      {workspace ? (
        <SectionCard title="Workspace" description="These apply to everyone in this workspace.">
          <CardBody>
            <WorkspaceSettingsForm settings={workspace} action={actions.updateSettings} onSaved={refresh} />
          </CardBody>
        </SectionCard>
      ) : null}
    </div>
  );
}
