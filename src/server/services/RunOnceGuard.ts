/** The `RunOnce` options the game services use (the seed guide's, plus `join`). */
export interface RunOnceOptions {
	readonly timeout?: number;
	readonly allowRerun?: boolean;
	readonly cacheResult?: boolean;
	readonly onTimeout?: (key: string) => void;
	readonly join?: boolean;
}

/**
 * The part of `ExecutionGuard` the game services need. Services take this instead of the class so a
 * spec can hand them a real guard with its own clock, and the services stay readable as plain uses
 * of the seed guide's API.
 *
 * @example
 * ```ts
 * const guard: RunOnceGuard = new ExecutionGuard(false);
 * const [ran, result] = guard.RunOnce("arena_init", build, { timeout: 30 });
 * ```
 */
export interface RunOnceGuard {
	/** `(true, result)` when this call ran `fn`; `(false, cached | error | nil)` otherwise. */
	RunOnce(key: string, fn: () => unknown, options?: RunOnceOptions): LuaTuple<[boolean, unknown]>;
	/** Stops a running key; its callers get `(false, GuardError "Cancelled")`. False if it was not running. */
	Cancel(key: string): boolean;
	/** Forgets one key's completion and result, so its next RunOnce runs again. */
	ClearResult(key: string): void;
	/** Forgets every key starting with `prefix` (a player who left); returns how many. */
	ClearPrefix(prefix: string): number;
}
