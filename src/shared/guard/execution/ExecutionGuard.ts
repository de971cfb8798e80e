/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- the guide's Luau API returns two values, (success, result) */
// Past 300 lines on purpose: the guide's whole public surface (15 members) in one class, each with
// its doc comment and example; the work itself is in RunEngine, ManualLocks and the summary files.
import { checkFunction, checkKey, checkOptions, checkSeconds, checkSelf, invalidArgument } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
import { buildAnalytics, recordInfo } from "./analytics";
import { checkConstructor, RUN_OPTIONS, SUMMARY_OPTIONS } from "./executionArguments";
import { formatSummary } from "./executionSummary";
import { experienceSettings } from "./crossServer/experienceConfig";
import { ExperienceLocks } from "./crossServer/ExperienceLocks";
import { ExperienceRuns } from "./crossServer/ExperienceRuns";
import { leaseLockFor } from "./crossServer/leaseLockAdapter";
import { ManualLocks } from "./ManualLocks";
import { RunEngine } from "./RunEngine";
import { createRunOnce } from "./runOnceCall";
import { resultOf } from "./RunRecord";
import {
	ExecutionAnalytics,
	ExecutionGuardConfig,
	ExecutionOptions,
	ExecutionRecordInfo,
	ExecutionStatus,
	SummaryOptions,
} from "./types";

/** Throws the toolkit's "call it with ':'" error for a Luau `guard.Method(...)` call. */
function checkCall(instance: unknown, method: string, colonForm: string) {
	checkSelf(instance, ExecutionGuard, "ExecutionGuard", method, colonForm);
}

/**
 * Runs a function once per key, refuses concurrent duplicates, reuses results, stops runs that take
 * too long. The API of the seed guide (`RunOnce`, `AcquireLock`, `GetResult`, `GetStatus`,
 * `GetAnalytics`, `printSummary`), plus joining an in-flight run, cancellation, typed errors and
 * bounded memory. It owns a {@link RunEngine} (the runs) and {@link ManualLocks} (AcquireLock);
 * this class checks what callers pass and hands the work to them.
 *
 * How a run works: `fn` runs in a reused runner thread. If it returns without yielding, the caller
 * never yields either (the cheap path, no timer touched). If it yields, the caller waits and the run
 * gets a deadline in the guard's single timer heap; the caller is woken by whichever comes first:
 * the run finishing, its timeout, or `Cancel`. Every run is its own object (its generation); a finish that
 * arrives after its run timed out or was cancelled is ignored.
 *
 * @example
 * ```ts
 * const guard = new ExecutionGuard(true); // from Luau: ExecutionGuard.new(true)
 * const [ran, data] = guard.RunOnce("loadData", () => {
 * 	task.wait(2);
 * 	return { data: "loaded" };
 * });
 * const [again, cached] = guard.RunOnce("loadData", () => print("This won't run")); // false, { data = "loaded" }
 * ```
 */
/**
 * RunOnce called with a `self` that is not the guard whose RunOnce it is: another guard's call is
 * handed to that guard's own RunOnce (what a class method would do); anything else is a Luau
 * `guard.RunOnce(key, fn)` and gets the ':' error.
 */
function runOnceOf(
	caller: unknown,
	key: string,
	fn: Callback,
	options: ExecutionOptions | undefined,
): LuaTuple<[boolean, unknown]> {
	checkCall(caller, "RunOnce", "guard:RunOnce(key, fn, options)");
	return (caller as ExecutionGuard).RunOnce(key, fn, options);
}

export class ExecutionGuard {
	private readonly engine: RunEngine;
	private readonly manualLocks: ManualLocks;
	/** RunOnce's miss path and the locks across the experience (`scope = "Experience"` only). */
	private readonly experience: ExperienceRuns | undefined;
	private readonly experienceLocks: ExperienceLocks | undefined;
	/**
	 * @param debugMode print every decision with its key (for the F9 console while developing)
	 * @param config memory bounds: `resultTtl`, `maxRecords`, `sampleWindow` (all optional)
	 *
	 * @example
	 * ```ts
	 * const guard = new ExecutionGuard(true); // Luau: ExecutionGuard.new(true)
	 * const bounded = new ExecutionGuard(false, { resultTtl: 86400, maxRecords: 10000 });
	 * ```
	 */
	public constructor(debugMode = false, config: ExecutionGuardConfig = {}) {
		checkConstructor(debugMode, config);
		this.manualLocks = new ManualLocks(debugMode);
		this.engine = new RunEngine(debugMode, config, this.manualLocks);
		const settings = experienceSettings(config);
		if (settings !== undefined) {
			const leases = settings.leases ?? leaseLockFor(settings);
			this.experience = new ExperienceRuns(this.engine, this.manualLocks, settings, leases);
			this.experienceLocks = new ExperienceLocks(this.manualLocks, leases, debugMode);
		}
		// RunOnce lives on the instance as a closure over the engine (see runOnceCall.ts): on native Luau
		// -O2 a cached hit went from 1.55-1.59x its floor to 1.07-1.17x, a first run from 1.77x its
		// baseline to 1.28-1.44x (with the engine's inline settle; 3 runs each). `guard:RunOnce` finds it
		// before the class's method, which only a call on the class table itself still reaches.
		rawset(
			this,
			"RunOnce",
			createRunOnce(this, this.engine, this.experience, this.manualLocks, debugMode, runOnceOf),
		);
	}

	/**
	 * Runs `fn` once for `key` and returns `(success, result)`:
	 * - first call: runs `fn` → `(true, result)`; a call after completion → `(false, cachedResult)` without
	 *   running (unless `allowRerun`); a call while running → `(false, nil)`, or with `join` the run's own
	 *   outcome once it ends (a joiner's `joinTimeout` ends only its wait);
	 * - `fn` errors → `(false, GuardError "ExecutionFailed")` with `details.cause` and `details.traceback`;
	 *   status `Failed`, nothing cached, the next call runs again;
	 * - past `timeout` (default 30 s) → `(false, GuardError "Timeout")`, status `TimedOut`, `onTimeout` called
	 *   once, the run's thread cancelled (unless `cancelOnTimeout = false`), the next call runs again;
	 * - `Cancel(key)` → `(false, GuardError "Cancelled")`, status back to `Idle`.
	 * A `fn` that never yields cannot be interrupted, so its timeout can only apply once it yields.
	 * Calling RunOnce for a key from inside that key's own `fn` (directly or through other runs) throws
	 * `GuardError "Reentrant"` — it would otherwise wait for itself.
	 *
	 * @example
	 * ```ts
	 * const [ok, result] = guard.RunOnce("fetch", () => fetchData(), { timeout: 10, onTimeout: () => warn("Fetch timed out!") });
	 * ```
	 */
	public RunOnce(key: string, fn: Callback, options?: ExecutionOptions): LuaTuple<[boolean, unknown]> {
		// Reached only through the class table (`ExecutionGuard.RunOnce(x, ...)` in Luau): every guard
		// holds its own RunOnce (see the constructor).
		return runOnceOf(this, key, fn, options);
	}

	/**
	 * `RunOnce` as a roblox-ts Promise: resolves with the run's result (or the cached one, or `undefined`
	 * for a completed key without a cached result); rejects with a GuardError — `AlreadyRunning` when
	 * blocked, `ExecutionFailed`, `Timeout`, `Cancelled`. `promise.cancel()` cancels the run if this
	 * promise started it (a joined or blocked promise only stops waiting).
	 *
	 * @example
	 * ```ts
	 * guard.RunOnceAsync("arena_init", initArena).then((arena) => print(arena)).catch(warn);
	 * ```
	 */
	public RunOnceAsync(key: string, fn: Callback, options?: ExecutionOptions): Promise<unknown> {
		checkCall(this, "RunOnceAsync", "guard:RunOnceAsync(key, fn, options)");
		const where = "ExecutionGuard.RunOnceAsync";
		checkKey(where, key);
		checkFunction(where, "fn", fn, key);
		checkOptions(where, options, RUN_OPTIONS, key);
		const engine = this.engine;
		return new Promise((resolve, reject, onCancel) => {
			const own = coroutine.running();
			onCancel(() => {
				const record = engine.store.get(key);
				if (record !== undefined && record.status === "Running" && record.active?.waiter === own) {
					engine.cancel(record);
				}
			});
			// Running in RunOnce or held by AcquireLock: a `(false, nil)` then means "blocked", not "no result".
			const wasLocked = this.isLocked(key);
			const experience = this.experience;
			const [ok, value] =
				experience !== undefined
					? experience.runChecked(key, fn, options)
					: engine.runChecked(key, fn, options);
			if (ok || !GuardError.is(value)) {
				if (!ok && value === undefined && wasLocked) {
					reject(new GuardError("AlreadyRunning", `"${key}" is already running or locked`, { key }));
				} else {
					resolve(value);
				}
			} else {
				reject(value);
			}
		});
	}

	/**
	 * Stops the running execution of `key`: its thread is cancelled, its caller and joiners resolve with
	 * `(false, GuardError "Cancelled")`, its timer and lock are released, its status goes back to `Idle`
	 * (the record keeps the Cancelled error as `lastError`). Returns false when `key` was not running.
	 * Called from inside the run's own `fn`, the thread cannot be cancelled: the run is ended and the
	 * rest of `fn` runs with its result ignored.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => guard.Cancel(`player_data_${player.UserId}`));
	 * ```
	 */
	public Cancel(key: string): boolean {
		checkCall(this, "Cancel", "guard:Cancel(key)");
		checkKey("ExecutionGuard.Cancel", key);
		const record = this.engine.store.get(key);
		if (record === undefined || record.status !== "Running") return false;
		this.engine.cancel(record);
		return true;
	}

	/**
	 * Takes the lock of `key` by hand, for work that is not a single function. The lock is the same
	 * one RunOnce holds: it fails while RunOnce runs `key`, and RunOnce is blocked while you hold it.
	 * `timeout` bounds only the wait for it, in seconds (FIFO behind other waiters and behind a run
	 * that has yielded); omitted or 0 means try once. Once got, the key is held until `ReleaseLock(key)`
	 * however long that takes. Returns whether you got it.
	 *
	 * @example
	 * ```ts
	 * if (guard.AcquireLock("myKey", 10)) {
	 * 	doWork();
	 * 	guard.ReleaseLock("myKey");
	 * }
	 * ```
	 */
	public AcquireLock(key: string, timeout?: number): boolean {
		checkCall(this, "AcquireLock", "guard:AcquireLock(key, timeout)");
		const where = "ExecutionGuard.AcquireLock";
		checkKey(where, key);
		if (timeout !== undefined) checkSeconds(where, "timeout", timeout, { allowZero: true, key });
		const record = this.engine.store.get(key);
		if (this.experienceLocks !== undefined) return this.experienceLocks.acquire(key, timeout, record);
		return this.manualLocks.acquire(key, timeout, record);
	}

	/**
	 * Releases a lock taken with `AcquireLock`, when called by the thread that took it, or by any
	 * thread once that thread has ended (returned, or was cancelled mid-hold); from another thread
	 * while the holder still runs it is ignored with a warning, so a stray second release can never
	 * free the next holder. Does nothing for a key that is not locked by AcquireLock — in particular
	 * it never ends a RunOnce run (use `Cancel` for that).
	 *
	 * @example
	 * ```ts
	 * guard.ReleaseLock("myKey");
	 * ```
	 */
	public ReleaseLock(key: string) {
		checkCall(this, "ReleaseLock", "guard:ReleaseLock(key)");
		checkKey("ExecutionGuard.ReleaseLock", key);
		if (this.experienceLocks !== undefined) this.experienceLocks.release(key);
		else this.manualLocks.release(key);
	}

	/**
	 * True while `key` is running in RunOnce or locked with AcquireLock.
	 *
	 * @example
	 * ```ts
	 * if (guard.IsLocked("myKey")) print("Still running");
	 * ```
	 */
	public IsLocked(key: string): boolean {
		checkCall(this, "IsLocked", "guard:IsLocked(key)");
		checkKey("ExecutionGuard.IsLocked", key);
		return this.isLocked(key);
	}

	/**
	 * The cached result of `key`, or undefined. It is the value `fn` returned, not a copy (the guide's
	 * callers compare it with `==`).
	 *
	 * @example
	 * ```ts
	 * const cached = guard.GetResult("calculate");
	 * ```
	 */
	public GetResult(key: string): unknown {
		checkCall(this, "GetResult", "guard:GetResult(key)");
		checkKey("ExecutionGuard.GetResult", key);
		const record = this.engine.store.get(key);
		return record !== undefined ? resultOf(record) : undefined;
	}

	/**
	 * Whether `key` has a cached result (a run that returned nil, or ran with `cacheResult = false`, has none).
	 *
	 * @example
	 * ```ts
	 * if (guard.HasResult("myKey")) print("Result available");
	 * ```
	 */
	public HasResult(key: string): boolean {
		checkCall(this, "HasResult", "guard:HasResult(key)");
		checkKey("ExecutionGuard.HasResult", key);
		const record = this.engine.store.get(key);
		return record !== undefined && resultOf(record) !== undefined;
	}

	/**
	 * Forgets the result and the completion of `key`, so its next RunOnce runs again (status `Idle`).
	 * Counts and durations are kept. During a run (an `allowRerun` rerun) the previous result is
	 * forgotten at once; the run goes on and its own result is kept when it ends.
	 *
	 * @example
	 * ```ts
	 * guard.ClearResult("myKey");
	 * ```
	 */
	public ClearResult(key: string) {
		checkCall(this, "ClearResult", "guard:ClearResult(key)");
		checkKey("ExecutionGuard.ClearResult", key);
		const record = this.engine.store.get(key);
		if (record === undefined) return;
		this.engine.clearResult(record);
		if (this.engine.debugMode) print(`[ExecutionGuard] "${key}": result cleared`);
	}

	/**
	 * Removes every stored record whose key starts with `prefix` (e.g. all keys of a player who left);
	 * running records are kept. Returns how many were removed.
	 *
	 * @example
	 * ```ts
	 * guard.ClearPrefix(`daily_reward_${player.UserId}_`);
	 * ```
	 */
	public ClearPrefix(prefix: string): number {
		checkCall(this, "ClearPrefix", "guard:ClearPrefix(prefix)");
		checkKey("ExecutionGuard.ClearPrefix", prefix, "prefix");
		const [removed, skipped] = this.engine.store.removePrefix(prefix);
		if (this.engine.debugMode) {
			print(`[ExecutionGuard] prefix "${prefix}": ${removed} removed, ${skipped} running kept`);
		}
		return removed;
	}

	/**
	 * The status of `key`: `Idle` when never run (or cleared, expired, cancelled).
	 *
	 * @example
	 * ```ts
	 * if (guard.GetStatus("myKey") === "Completed") print("Done!");
	 * ```
	 */
	public GetStatus(key: string): ExecutionStatus {
		checkCall(this, "GetStatus", "guard:GetStatus(key)");
		checkKey("ExecutionGuard.GetStatus", key);
		return this.engine.store.get(key)?.status ?? "Idle";
	}

	/**
	 * A copy of every stored record by key (status, executionCount, times, last duration, a copy of
	 * the last error): changing it changes nothing in the guard.
	 *
	 * @example
	 * ```ts
	 * for (const [key, record] of guard.GetAllRecords()) print(key, record.status, record.executionCount);
	 * ```
	 */
	public GetAllRecords(): Map<string, ExecutionRecordInfo> {
		checkCall(this, "GetAllRecords", "guard:GetAllRecords()");
		const copy = new Map<string, ExecutionRecordInfo>();
		for (const [key, record] of this.engine.store.all()) copy.set(key, recordInfo(record));
		return copy;
	}

	/**
	 * Global counts and per-key counts with duration p50/p95 (seconds): a snapshot in new tables.
	 *
	 * @example
	 * ```ts
	 * print("Total:", guard.GetAnalytics().global.totalExecutions);
	 * print("Blocked:", guard.GetAnalytics().global.blockedExecutions); // every call that did not run fn
	 * ```
	 */
	public GetAnalytics(): ExecutionAnalytics {
		checkCall(this, "GetAnalytics", "guard:GetAnalytics()");
		const analytics = buildAnalytics(this.engine.totals, this.engine.store);
		const experience = this.experience;
		return experience !== undefined ? { ...analytics, experience: experience.snapshot() } : analytics;
	}

	/**
	 * The summary table `printSummary` prints, as a string: the guard-wide counts, then at most
	 * `options.limit` (50) rows, problems first, then the most recent, optionally for one `key` or a
	 * `prefix` only; "... and N more keys" says what was left out.
	 *
	 * @example
	 * ```ts
	 * const text = guard.FormatSummary({ prefix: "player_" });
	 * ```
	 */
	public FormatSummary(options?: SummaryOptions): string {
		checkCall(this, "FormatSummary", "guard:FormatSummary(options)");
		const where = "ExecutionGuard.FormatSummary";
		checkOptions(where, options, SUMMARY_OPTIONS);
		if (options?.key !== undefined) checkKey(where, options.key, "options.key");
		if (options?.prefix !== undefined) checkKey(where, options.prefix, "options.prefix");
		return formatSummary(this.engine.totals, this.engine.store, options);
	}

	/**
	 * Prints the guard's summary for the F9 console (see {@link FormatSummary}: bounded rows, problems
	 * first, optionally one key or a prefix). A static property rather than a static method: roblox-ts
	 * compiles static methods with a colon, and the guide calls it from Luau with a dot.
	 *
	 * @example
	 * ```ts
	 * ExecutionGuard.printSummary(guard); // Luau: ExecutionGuard.printSummary(guard)
	 * ExecutionGuard.printSummary(guard, { prefix: "player_" }); // Luau: ExecutionGuard.printSummary(guard, { prefix = "player_" })
	 * ```
	 */
	public static printSummary = (guard: ExecutionGuard, options?: SummaryOptions) => {
		if (!(guard instanceof ExecutionGuard)) {
			invalidArgument(
				"ExecutionGuard.printSummary",
				"guard",
				guard,
				"an ExecutionGuard: ExecutionGuard.printSummary(guard)",
			);
		}
		print(guard.FormatSummary(options));
	};

	private isLocked(key: string) {
		return (
			this.engine.store.get(key)?.status === "Running" ||
			this.manualLocks.isHeld(key) ||
			this.experience?.isPending(key) === true
		);
	}
}
