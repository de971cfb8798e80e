// Kept only for execution/validate.ts (owned by another change), which imports the key limit from
// here; the lock family itself uses the toolkit's one checker in arguments/check.ts. Delete this file
// once execution/ imports MAX_KEY_LENGTH from arguments/check.ts.
export { MAX_KEY_LENGTH } from "../arguments/check";
