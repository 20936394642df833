import { WorkflowError } from "@/lib/workflow";
import { ServiceError } from "@/lib/services";

/** The 404s for path ids that are malformed (and so name nothing); they do not echo the input. */
export function runNotFound(): ServiceError {
  return new ServiceError("RUN_NOT_FOUND", "No run has that id.");
}

export function checkpointNotFound(): WorkflowError {
  return new WorkflowError("CHECKPOINT_NOT_FOUND", "No checkpoint has that id.");
}
