"use server";

import {
  getService,
  type CreatedWebhookEndpoint,
  type DeliveryInfo,
  type NotificationChannelsInfo,
} from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** An admin connects the workspace's Slack incoming webhook. Field: url (empty, or the Disconnect button's "", disconnects). */
export async function setSlackWebhookAction(
  _previous: ActionState<NotificationChannelsInfo>,
  formData: FormData,
): Promise<ActionResult<NotificationChannelsInfo>> {
  const url = textField(formData, "url").trim();
  return runAction("setSlackWebhook", {}, (actor) =>
    getService().notifications.setSlackWebhook(actor, { url: url === "" ? null : url }),
  );
}

/** An admin adds a webhook endpoint; its signing secret comes back once. Fields: url, description, kinds (repeated). */
export async function addWebhookEndpointAction(
  _previous: ActionState<CreatedWebhookEndpoint>,
  formData: FormData,
): Promise<ActionResult<CreatedWebhookEndpoint>> {
  const input = {
    url: textField(formData, "url"),
    description: textField(formData, "description"),
    kinds: formData.getAll("kinds").filter((value): value is string => typeof value === "string"),
  };
  return runAction("addWebhookEndpoint", {}, (actor) => getService().notifications.addWebhookEndpoint(actor, input));
}

/** An admin removes a webhook endpoint: nothing more is sent to it. Field: endpointId. */
export async function removeWebhookEndpointAction(
  _previous: ActionState<null>,
  formData: FormData,
): Promise<ActionResult<null>> {
  const endpointId = textField(formData, "endpointId");
  return runAction("removeWebhookEndpoint", { endpointId }, async (actor) => {
    await getService().notifications.removeWebhookEndpoint(actor, endpointId);
    return null;
  });
}

/** An admin sends a `webhook.test` event to one endpoint now and sees how it went. Field: endpointId. */
export async function sendTestEventAction(
  _previous: ActionState<DeliveryInfo>,
  formData: FormData,
): Promise<ActionResult<DeliveryInfo>> {
  const endpointId = textField(formData, "endpointId");
  return runAction("sendTestEvent", { endpointId }, (actor) =>
    getService().notifications.sendTestEvent(actor, endpointId),
  );
}
