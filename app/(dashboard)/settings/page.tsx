import type { Metadata } from "next";
import { connection } from "next/server";
import { SettingsSections } from "@/components/settings/settings-sections";
import { PageHeader } from "@/components/ui/page-header";
import { createApiKeyAction, revokeApiKeyAction } from "@/lib/actions/api-keys";
import { updateNotificationPreferencesAction } from "@/lib/actions/notification-preferences";
import { updateReviewPolicyAction } from "@/lib/actions/update-review-policy";
import { updateSettingsAction } from "@/lib/actions/update-settings";
import { requirePageActor } from "@/lib/auth/current";
import { getService, hasPermission } from "@/lib/services";

export const metadata: Metadata = { title: "Settings" };

const NOTIFICATION_CHANNELS_PATH = "/settings/notifications";

export default async function SettingsPage() {
  await connection();
  const actor = await requirePageActor();
  const service = getService();
  const people = service.people;
  const canManageSettings = hasPermission(actor, "settings:manage");
  const apiKeys = await people.listApiKeys(actor);
  const notifications = await service.notifications.getMyPreferences(actor);
  const workspace = canManageSettings ? await people.getSettings() : null;
  const reviewPolicy = await service.getReviewPolicy(actor);
  const reviewers = canManageSettings ? await people.listReviewers(actor) : [];
  return (
    <div className="max-w-3xl">
      <PageHeader
        title="Settings"
        description={
          canManageSettings
            ? "Your notifications and API keys, the approval policy and the settings of the whole workspace."
            : "Your notifications and API keys, and the approval policy drafts go through."
        }
      />
      <SettingsSections
        apiKeys={apiKeys}
        notifications={notifications}
        notificationChannelsHref={canManageSettings ? NOTIFICATION_CHANNELS_PATH : null}
        workspace={workspace}
        reviewPolicy={reviewPolicy}
        canManagePolicy={canManageSettings}
        reviewers={reviewers}
        actions={{
          createApiKey: createApiKeyAction,
          revokeApiKey: revokeApiKeyAction,
          updateSettings: updateSettingsAction,
          updateReviewPolicy: updateReviewPolicyAction,
          updateNotificationPreferences: updateNotificationPreferencesAction,
        }}
      />
    </div>
  );
}
