"use server";

import { getService, type DeliveryInfo } from "@/lib/services";
import { runAction, textField } from "./run-action";
import type { ActionResult, ActionState } from "./types";

/** An admin makes a pending or dead delivery due now, with a fresh round of attempts, and tries it at once. Field: deliveryId. */
export async function retryDeliveryAction(
  _previous: ActionState<DeliveryInfo>,
  formData: FormData,
): Promise<ActionResult<DeliveryInfo>> {
  const deliveryId = textField(formData, "deliveryId");
  return runAction("retryDelivery", { deliveryId }, (actor) =>
    getService().notifications.retryDelivery(actor, deliveryId),
  );
}
