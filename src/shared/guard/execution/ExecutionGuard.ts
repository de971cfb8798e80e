/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- the guide's Luau API returns two values, (success, result) */
import { flattenInheritedMethods } from "../classes/flattenInheritedMethods";
import { GuardError } from "../errors/GuardError";
import { buildAnalytics, formatSummary, recordInfo } from "./executionSummary";
import { RunEngine } from "./RunEngine";
import { resultOf, statsOf } from "./RunRecord";
import {
	ExecutionAnalytics,
	ExecutionGuardConfig,
	ExecutionOptions,
	ExecutionRecordInfo,
	ExecutionStatus,
} from "./types";
import { MAX_KEY_LENGTH, validateFunction, validateKey, validateOptions, validateSeconds } from "./validate";

/**
 * Runs a function once per key, refuses concurrent duplicates, reuses results, stops runs that take
 * too long. The API of the seed guide (`RunOnce`, `AcquireLock`, `GetResult`, `GetStatus`,
 * `GetAnalytics`, `printSummary`), plus joining an in-flight run, cancellation, typed errors and
 * bounded memory.
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
export class ExecutionGuard extends RunEngine {
	/**
	 * @param debugMode print every decision with its key (for the F9 console while developing)
	 * @param config memory bounds: `resultTtl`, `maxRecords`, `sampleWindow` (all optional)
	 *
	 * @example
	 * ```ts
	 * const guard = new ExecutionGuard(true); // Luau: ExecutionGuard.new(true)
	 * ```
	 */
	public constructor(debugMode = false, config: ExecutionGuardConfig = {}) {
		super(debugMode, config);
		// RunOnce is the hot path: a copy on the instance spares Luau the metatable __index hop on every
		// `guard:RunOnce(...)`, about a third of a cached hit in the bench VM.
		const classTable = getmetatable(this) as unknown as { RunOnce: unknown };
		rawset(this as unknown as Record<string, unknown>, "RunOnce", classTable.RunOnce);
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
		const record = this.records.get(key);
		if (record === undefined) {
			// The cheap inline test spares a first run the validateKey call; validateKey says what is wrong.
			if (!typeIs(key, "string") || key.size() === 0 || key.size() > MAX_KEY_LENGTH) validateKey("RunOnce", key);
			if (!typeIs(fn, "function")) validateFunction("RunOnce", key, fn);
			if (options !== undefined) validateOptions("RunOnce", key, options);
			// The KeyedLock is only consulted while some AcquireLock call is in progress or holds a key.
			if (this.manualLockUsers > 0 && this.locks.IsLocked(key)) {
				return this.block(undefined, "locked by AcquireLock");
			}
			return this.run(this.store.create(key), fn, options);
		}
		// A stored record proves the key valid (records only exist for valid keys): no key checks here.
		if (!typeIs(fn, "function")) validateFunction("RunOnce", key, fn);
		// `result` holds a value only while the record is Completed, so the hit is one read and one nil
		// test; the options are looked at only when there are some (the common call has none).
		let cached = record.result;
		if (options !== undefined) {
			validateOptions("RunOnce", key, options);
			if (options.allowRerun === true) cached = undefined;
		}
		if (cached !== undefined) {
			const stats = record.stats;
			// Counted per key only; the global count is summed when analytics are read.
			if (stats !== undefined) stats.cacheHits += 1;
			else statsOf(record).cacheHits += 1;
			if (this.debugMode) print(`[ExecutionGuard] "${key}": completed, returning the cached result`);
			return $tuple(false, cached);
		}
		const status = record.status;
		if (status === "Completed" && (options === undefined || options.allowRerun !== true)) {
			return this.block(record, "completed earlier and its result was not cached");
		}
		if (status === "Running") return this.whileRunning(record, options);
		if (this.manualLockUsers > 0 && this.locks.IsLocked(key)) return this.block(record, "locked by AcquireLock");
		return this.run(record, fn, options);
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
		validateKey("RunOnceAsync", key);
		validateFunction("RunOnceAsync", key, fn);
		if (options !== undefined) validateOptions("RunOnceAsync", key, options);
		return new Promise((resolve, reject, onCancel) => {
			const own = coroutine.running();
			onCancel(() => {
				const record = this.store.get(key);
				if (record !== undefined && record.status === "Running" && record.active?.waiter === own)
					this.Cancel(key);
			});
			// Running in RunOnce or held by AcquireLock: a `(false, nil)` then means "blocked", not "no result".
			const wasLocked = this.IsLocked(key);
			const [ok, value] = this.RunOnce(key, fn, options);
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
		validateKey("Cancel", key);
		const record = this.store.get(key);
		if (record === undefined || record.status !== "Running") return false;
		statsOf(record).cancelled += 1;
		this.totals.cancelled += 1;
		if (this.debugMode) print(`[ExecutionGuard] "${key}": cancelled`);
		this.stopRun(
			record,
			"Idle",
			new GuardError("Cancelled", `"${key}" was cancelled while running`, { key }),
			true,
		);
		return true;
	}

	/**
	 * Takes the lock of `key` by hand, for work that is not a single function. The lock is the same
	 * one RunOnce holds: it fails while RunOnce runs `key`, and RunOnce is blocked while you hold it.
	 * `timeout` is how long to wait for it in seconds (FIFO behind other waiters); omitted or 0 means
	 * try once. Returns whether you got it; release it with `ReleaseLock`.
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
		validateKey("AcquireLock", key);
		if (timeout !== undefined) validateSeconds("AcquireLock", "timeout", timeout, key, true);
		const record = this.store.get(key);
		if (record !== undefined && record.status === "Running") {
			// A run still in its synchronous part cannot be waited for: the caller is inside that run.
			if (record.active?.heapIndex === undefined || timeout === undefined || timeout === 0) return false;
			// Take the KeyedLock for the run only now that someone queues behind it (runs nobody waits
			// for never touch the lock); it is released when the run ends, handing the key down FIFO.
			const flight = record.active!;
			if (flight.lockHandle === undefined) {
				const [runHandle] = this.locks.TryAcquire(key, { owner: `RunOnce("${key}")` });
				flight.lockHandle = runHandle;
			}
		}
		// Counted before the wait: a waiter granted the key is a holder before its AcquireLock returns.
		this.manualLockUsers += 1;
		const [handle] =
			timeout === undefined || timeout === 0
				? this.locks.TryAcquire(key, { owner: "AcquireLock" })
				: this.locks.Acquire(key, { timeout, owner: "AcquireLock" });
		if (handle === undefined) {
			this.manualLockUsers -= 1;
			if (this.debugMode) print(`[ExecutionGuard] "${key}": AcquireLock failed, already locked`);
			return false;
		}
		this.manualHandles.set(key, handle);
		if (this.debugMode) print(`[ExecutionGuard] "${key}": lock acquired by AcquireLock`);
		return true;
	}

	/**
	 * Releases a lock taken with `AcquireLock`. Does nothing for a key that is not locked by
	 * AcquireLock — in particular it never ends a RunOnce run (use `Cancel` for that).
	 *
	 * @example
	 * ```ts
	 * guard.ReleaseLock("myKey");
	 * ```
	 */
	public ReleaseLock(key: string) {
		validateKey("ReleaseLock", key);
		const handle = this.manualHandles.get(key);
		if (handle === undefined) return;
		this.manualHandles.delete(key);
		this.manualLockUsers -= 1;
		handle.Release();
		if (this.debugMode) print(`[ExecutionGuard] "${key}": lock released`);
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
		validateKey("IsLocked", key);
		return this.store.get(key)?.status === "Running" || this.locks.IsLocked(key);
	}

	/**
	 * The cached result of `key`, or undefined.
	 *
	 * @example
	 * ```ts
	 * const cached = guard.GetResult("calculate");
	 * ```
	 */
	public GetResult(key: string): unknown {
		validateKey("GetResult", key);
		const record = this.store.get(key);
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
		validateKey("HasResult", key);
		const record = this.store.get(key);
		return record !== undefined && resultOf(record) !== undefined;
	}

	/**
	 * Forgets the result and the completion of `key`, so its next RunOnce runs again (status `Idle`).
	 * Counts and durations are kept. A running key is left alone.
	 *
	 * @example
	 * ```ts
	 * guard.ClearResult("myKey");
	 * ```
	 */
	public ClearResult(key: string) {
		validateKey("ClearResult", key);
		const record = this.store.get(key);
		if (record === undefined || record.status === "Running") return;
		record.result = undefined;
		if (record.status === "Completed") record.status = "Idle";
		if (this.debugMode) print(`[ExecutionGuard] "${key}": result cleared`);
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
		if (!typeIs(prefix, "string") || prefix.size() === 0 || prefix.size() > MAX_KEY_LENGTH) {
			throw new GuardError(
				"InvalidArgument",
				`ClearPrefix: prefix must be a non-empty string of at most ${MAX_KEY_LENGTH} characters, got ${tostring(prefix)}`,
			);
		}
		const [removed, skipped] = this.store.removePrefix(prefix);
		this.totals.removed += removed;
		if (this.debugMode) print(`[ExecutionGuard] prefix "${prefix}": ${removed} removed, ${skipped} running kept`);
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
		validateKey("GetStatus", key);
		return this.store.get(key)?.status ?? "Idle";
	}

	/**
	 * A copy of every stored record by key (status, executionCount, times, last duration, last error).
	 *
	 * @example
	 * ```ts
	 * for (const [key, record] of guard.GetAllRecords()) print(key, record.status, record.executionCount);
	 * ```
	 */
	public GetAllRecords(): Map<string, ExecutionRecordInfo> {
		const copy = new Map<string, ExecutionRecordInfo>();
		for (const [key, record] of this.store.all()) copy.set(key, recordInfo(record));
		return copy;
	}

	/**
	 * Global counts and per-key counts with duration p50/p95 (seconds).
	 *
	 * @example
	 * ```ts
	 * print("Total:", guard.GetAnalytics().global.totalExecutions);
	 * ```
	 */
	public GetAnalytics(): ExecutionAnalytics {
		return buildAnalytics(this.totals, this.store.all(), this.store.removedCacheHits);
	}

	/**
	 * The summary table `printSummary` prints, as a string.
	 *
	 * @example
	 * ```ts
	 * const text = guard.FormatSummary();
	 * ```
	 */
	public FormatSummary(): string {
		return formatSummary(this.GetAnalytics(), this.store.all());
	}

	/**
	 * Prints the guard's summary for the F9 console: global counts, then one aligned row per key
	 * (problems first, newest first; durations in ms). A static property rather than a static method:
	 * roblox-ts compiles static methods with a colon, and the guide calls it from Luau with a dot.
	 *
	 * @example
	 * ```ts
	 * ExecutionGuard.printSummary(guard); // Luau: ExecutionGuard.printSummary(guard)
	 * ```
	 */
	public static printSummary = (guard: ExecutionGuard) => {
		if (!(guard instanceof ExecutionGuard)) {
			throw new GuardError("InvalidArgument", `printSummary: expected an ExecutionGuard, got ${typeOf(guard)}`);
		}
		print(guard.FormatSummary());
	};
}

// Every internal RunEngine method is found on ExecutionGuard's own table: each `self:run(...)`,
// `self:finishRun(...)`, `self:settle(...)` on the hot path is then one metatable step away.
flattenInheritedMethods(ExecutionGuard);
