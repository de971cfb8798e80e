import { GuardError } from "../errors/GuardError";
import { ExperienceOptions } from "./crossServer/experienceConfig";
import { ExperienceCounts } from "./crossServer/ExperienceRuns";

/**
 * Where a key stands, as in the guide: `Idle` (never ran, cleared, expired or cancelled), `Running`,
 * `Completed`, `TimedOut`, `Failed`.
 *
 * @example
 * ```ts
 * if (guard.GetStatus("arena_init") === "Completed") print("arena ready");
 * ```
 */
export type ExecutionStatus = "Idle" | "Running" | "Completed" | "TimedOut" | "Failed";

/**
 * Options of one `RunOnce` / `RunOnceAsync` call. Unknown names are refused (`InvalidArgument`), so a
 * typo such as `timout` cannot silently fall back to the default.
 *
 * @example
 * ```ts
 * guard.RunOnce("fetch", fetch, { timeout: 10, onTimeout: () => warn("Fetch timed out!") });
 * guard.RunOnce("player_data_42", load, { join: true, joinTimeout: 5 }); // wait for the loader already running
 * ```
 */
export interface ExecutionOptions {
	/** Seconds the run may take before it is stopped and marked `TimedOut` (default 30; finite, > 0). */
	readonly timeout?: number;
	/** Run again after a completed run instead of returning its cached result (default false). */
	readonly allowRerun?: boolean;
	/** Keep the result for later calls and `GetResult` (default true). */
	readonly cacheResult?: boolean;
	/** Called once, in its own thread, when the run times out (errors in it are reported, not rethrown). */
	readonly onTimeout?: (key: string) => void;
	/**
	 * When the key is already running, wait for that run and return its outcome instead of being
	 * blocked with `(false, nil)` (default false).
	 */
	readonly join?: boolean;
	/**
	 * With `join`: the longest wait in seconds; past it the caller gets `(false, GuardError "Timeout")`
	 * while the run itself goes on. Without it a joiner waits as long as the run may take.
	 */
	readonly joinTimeout?: number;
	/**
	 * On timeout, stop the run's thread with `task.cancel` (default true), so a stuck loop does not keep
	 * working forever. With false the thread keeps running and its late result is ignored.
	 */
	readonly cancelOnTimeout?: boolean;
}

/**
 * Construction options, bounding memory for keys like `daily_reward_{userId}_{date}` that would otherwise
 * grow forever. Both default to unbounded, so a completed key stays completed unless you ask otherwise.
 *
 * @example
 * ```ts
 * const guard = new ExecutionGuard(false, { resultTtl: 86400, maxRecords: 10000 });
 * ```
 */
export interface ExecutionGuardConfig {
	/**
	 * Seconds a finished record (completed, failed, timed out or cancelled) is kept after it finished;
	 * then it is removed as if never run: its result, status and per-key analytics go (global counts stay).
	 */
	readonly resultTtl?: number;
	/**
	 * Most records kept. Past it the records that finished longest ago are removed first. Running records
	 * are never removed, so with more runs in flight than this the cap is exceeded until they finish.
	 */
	readonly maxRecords?: number;
	/** Samples kept per key for the duration percentiles (default 32). */
	readonly sampleWindow?: number;
	/**
	 * `"Server"` (the default): keys are this server's. `"Experience"`: RunOnce and AcquireLock hold a
	 * key for the whole experience through a MemoryStore lease (crossServer/README.md).
	 */
	readonly scope?: "Server" | "Experience";
	/** Settings of the `"Experience"` scope (name, leaseTtl, shareResults, notify, ...). */
	readonly experience?: ExperienceOptions;
}

/**
 * One key's record as returned by `GetAllRecords` (a copy: changing it changes nothing).
 * Times are `os.clock()` seconds; durations are seconds.
 *
 * @example
 * ```ts
 * for (const [key, record] of guard.GetAllRecords()) print(key, record.status, record.executionCount);
 * ```
 */
export interface ExecutionRecordInfo {
	readonly key: string;
	readonly status: ExecutionStatus;
	/** Times `fn` was started for this key. */
	readonly executionCount: number;
	readonly hasResult: boolean;
	/** `os.clock()` when the last run started. */
	readonly startedAt: number | undefined;
	/** `os.clock()` when the last run finished, failed, timed out or was cancelled. */
	readonly finishedAt: number | undefined;
	/** Seconds the last finished run took. */
	readonly lastDuration: number | undefined;
	/** The last failure, timeout or cancellation. */
	readonly lastError: GuardError | undefined;
}

/**
 * Counts of the whole guard since it was created (removing records does not lower them).
 *
 * @example
 * ```ts
 * print("Blocked:", guard.GetAnalytics().global.blockedExecutions);
 * ```
 */
export interface GlobalAnalytics {
	/** Runs started. */
	totalExecutions: number;
	/**
	 * Every call that did not run `fn` (the guide's "will be blocked"): `cacheHits + refused + joined`.
	 */
	blockedExecutions: number;
	/** Blocked calls answered from a cached result. */
	cacheHits: number;
	/**
	 * Blocked calls answered `(false, nil)`: the key was running (no `join`), locked by AcquireLock,
	 * or completed without a cached result.
	 */
	refused: number;
	failed: number;
	timedOut: number;
	cancelled: number;
	/** Blocked calls that waited for the in-flight run instead (`join`) and got its outcome. */
	joined: number;
	/** Records removed by expiry, the record cap or `ClearPrefix`. */
	removed: number;
}

/**
 * Per-key counts and duration percentiles (seconds, over the last `sampleWindow` finished runs).
 *
 * @example
 * ```ts
 * const stats = guard.GetAnalytics().keys.get("arena_init");
 * if (stats) print(stats.p95 * 1000, "ms");
 * ```
 */
export interface KeyAnalytics {
	readonly status: ExecutionStatus;
	readonly executions: number;
	/** Calls that did not run `fn`: `cacheHits + refused + joined`, as in the global counts. */
	readonly blocked: number;
	/** Calls answered `(false, nil)` (running without join, locked, completed without a cached result). */
	readonly refused: number;
	readonly cacheHits: number;
	readonly failed: number;
	readonly timedOut: number;
	readonly cancelled: number;
	readonly joined: number;
	/** Median duration of the sampled successful runs, in seconds (undefined before the first). */
	readonly p50: number | undefined;
	/** 95th percentile duration, in seconds (undefined before the first). */
	readonly p95: number | undefined;
	/** How many durations the percentiles are computed from. */
	readonly samples: number;
}

/**
 * What `GetAnalytics` returns: a snapshot, safe to keep.
 *
 * @example
 * ```ts
 * const analytics = guard.GetAnalytics();
 * print("Total:", analytics.global.totalExecutions);
 * ```
 */
export interface ExecutionAnalytics {
	readonly global: Readonly<GlobalAnalytics>;
	readonly keys: ReadonlyMap<string, KeyAnalytics>;
	/** An experience guard's cross-server counts (undefined on a guard of this server only). */
	readonly experience?: Readonly<ExperienceCounts>;
}

/**
 * Which keys `ExecutionGuard.printSummary(guard, options)` / `guard.FormatSummary(options)` show. The
 * header always counts the whole guard; the rows are bounded, problems first (newest problem first),
 * then the keys that ran most recently, then a line "... and N more keys".
 *
 * @example
 * ```ts
 * ExecutionGuard.printSummary(guard, { prefix: "player_" }); // Luau: ExecutionGuard.printSummary(guard, { prefix = "player_" })
 * ExecutionGuard.printSummary(guard, { key: "arena_init" });
 * ```
 */
export interface SummaryOptions {
	/** Show only this key. */
	readonly key?: string;
	/** Show only keys starting with this (e.g. one player's `daily_reward_42_`). */
	readonly prefix?: string;
	/** Most rows printed (default 50, whole number >= 1). */
	readonly limit?: number;
}
