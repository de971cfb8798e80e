import { ExecutionGuard } from "shared/guard";

/**
 * The part of `ExecutionGuard` the game services need, taken from the class itself — so its option
 * types (`ExecutionOptions`), signatures and docs are the library's, never a copy that drifts.
 * Services take this instead of the whole class, which says what they use and keeps them readable as
 * plain uses of the seed guide's API.
 *
 * @example
 * ```ts
 * const guard: RunOnceGuard = new ExecutionGuard(false);
 * const [ran, result] = guard.RunOnce("arena_init", build, { timeout: 30 });
 * ```
 */
export type RunOnceGuard = Pick<ExecutionGuard, "RunOnce" | "Cancel" | "ClearPrefix">;
