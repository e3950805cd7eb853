// Secrets at rest: the master key (outside the database) and the sealed boxes it opens.
export { MASTER_KEY_BYTES, MasterKey, MasterKeyError, loadMasterKey } from "./master-key.ts";
export type { MasterKeySource } from "./master-key.ts";
export { SealedBoxError, open, seal } from "./sealed-box.ts";
export type { SealedBox } from "./sealed-box.ts";
