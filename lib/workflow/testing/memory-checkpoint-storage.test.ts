import { InMemoryCheckpointStorage } from "./memory-checkpoint-storage";
import { describeCheckpointStorageContract } from "./storage-contract";

describeCheckpointStorageContract("InMemoryCheckpointStorage", async () => ({
  storage: new InMemoryCheckpointStorage(),
}));
