/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- the guide's Luau API returns two values, (success, result) */
// Past 300 lines on purpose: one run's life (start, yield, settle, timeout, cancel) reads and writes
// the same few fields (current run, settled outcome, yielded runs, timers); joins and the onTimeout
// call live in joins.ts and callOnTimeout.ts.
import { GuardError } from "../errors/GuardError";
import { DeadlineEntry, DeadlineHeap } from "../timing/DeadlineHeap";
import { addSample } from "./durationSamples";
import { RecordStore } from "./RecordStore";
import { addJoiner, endJoinWait, wakeJoiners } from "./joins";
import { RunTotals } from "./analytics";
import { callOnTimeout } from "./callOnTimeout";
import { ActiveRun, copyError, enterSlowPath, JoinWait, keepFirstDuration, RunRecord, statsOf } from "./RunRecord";
import { TIMER_TOLERANCE, TimerKind } from "./RunRecord";
import { newRunner, RUN_ENDED, RunExecutor, runners } from "./runner";
import { ExecutionGuardConfig, ExecutionOptions, ExecutionStatus } from "./types";
import { waitForWake, wake } from "./wakeup";

const DEFAULT_TIMEOUT = 30;

/** What the engine asks before starting a run: is the key held by hand (`AcquireLock`)? */
export interface HandHeldKeys {
	/** False while no key was ever taken by hand: `isHeld` is then false for every key. */
	readonly everTaken: boolean;
	isHeld(key: string): boolean;
}

/**
 * The run machinery an {@link ExecutionGuard} owns: starting runs in runner threads, refusing,
 * joining, waiting, settling, timeouts and cancellation, with the counts of what it did. Its
 * callers have checked every argument; it trusts them.
 *
 * @example
 * ```ts
 * const engine = new RunEngine(false, {}, manualLocks);
 * const [ok, value] = engine.runChecked("arena_init", initArena, undefined);
 * ```
 */
export class RunEngine implements RunExecutor {
	public readonly store: RecordStore;
	public readonly totals: RunTotals = {
		refused: 0,
		joined: 0,
		failed: 0,
		timedOut: 0,
		cancelled: 0,
	};
	private readonly timers: DeadlineHeap<DeadlineEntry>;
	/** How many durations a key keeps for p50/p95. */
	private readonly sampleWindow: number;
	/** The store's `bounded`, copied: read on every run's end. */
	private readonly bounded: boolean;
	/** Runs whose fn yielded, by runner thread (re-entrancy chains), and how many there are. */
	private readonly yieldedRuns = new Map<thread, RunRecord>();
	private yieldedCount = 0;
	/** The run whose `fn` is executing right now without having yielded (re-entrancy chains). */
	// False rather than undefined: a field that reads nil falls through to the class table in Luau,
	// a dearer read on every run.
	private currentRun: RunRecord | false = false;

	public constructor(
		public readonly debugMode: boolean,
		config: ExecutionGuardConfig,
		private readonly handHeld: HandHeldKeys,
	) {
		this.sampleWindow = config.sampleWindow ?? 32;
		this.timers = new DeadlineHeap<DeadlineEntry>((entry, now) => this.onTimer(entry, now), TIMER_TOLERANCE);
		this.store = new RecordStore(this.timers, config.resultTtl, config.maxRecords);
		this.bounded = this.store.bounded;
	}

	/**
	 * RunOnce after its arguments were checked: the cached hit, or {@link decide}.
	 *
	 * @example
	 * ```ts
	 * const [ok, value] = engine.runChecked(key, fn, options); // RunOnceAsync, after its checks
	 * ```
	 */
	public runChecked(key: string, fn: Callback, options: ExecutionOptions | undefined): LuaTuple<[boolean, unknown]> {
		const record = this.store.map.get(key);
		if (record !== undefined && options?.allowRerun !== true) {
			const cached = record.result;
			if (cached !== undefined) return this.hit(record, cached);
		}
		return this.decide(key, fn, options, record);
	}

	/**
	 * A cache hit: counted per key (the global count is summed when analytics are read).
	 * ExecutionGuard.RunOnce counts the common hit itself (measured there); keep the two alike.
	 *
	 * @example
	 * ```ts
	 * if (record.result !== undefined) return engine.hit(record, record.result);
	 * ```
	 */
	public hit(record: RunRecord, cached: unknown): LuaTuple<[boolean, unknown]> {
		const stats = record.stats;
		if (stats !== undefined) stats.cacheHits += 1;
		else statsOf(record).cacheHits += 1;
		if (this.debugMode) print(`[ExecutionGuard] "${record.key}": completed, returning the cached result`);
		return $tuple(false, cached);
	}

	/**
	 * Keeps `value` as `key`'s cached result without running anything (an experience guard's result
	 * shared by another server), counted as a cache hit. A running key is left alone.
	 *
	 * @example
	 * ```ts
	 * engine.adoptResult("season_2026", sharedResult);
	 * ```
	 */
	public adoptResult(key: string, value: unknown) {
		const record = this.store.map.get(key) ?? this.store.create(key);
		if (record.status === "Running") return;
		if (record.status === "Completed") keepFirstDuration(record, this.sampleWindow);
		record.status = "Completed";
		record.result = value;
		record.finishedAt = os.clock();
		statsOf(record).cacheHits += 1;
		if (this.store.bounded) this.store.noteFinished(record);
	}

	/**
	 * Everything but a cache hit: refuse, join, or run.
	 *
	 * @example
	 * ```ts
	 * return engine.decide(key, fn, options, engine.store.get(key));
	 * ```
	 */
	public decide(
		key: string,
		fn: Callback,
		options: ExecutionOptions | undefined,
		record: RunRecord | undefined,
	): LuaTuple<[boolean, unknown]> {
		if (record === undefined) {
			if (this.handHeld.everTaken && this.handHeld.isHeld(key))
				return this.refuse(undefined, key, "locked by AcquireLock");
			return this.start(key, undefined, fn, options);
		}
		const status = record.status;
		if (status === "Running") return this.whileRunning(record, options);
		if (status === "Completed" && options?.allowRerun !== true) {
			return this.refuse(record, key, "completed earlier and its result was not cached");
		}
		if (this.handHeld.everTaken && this.handHeld.isHeld(key))
			return this.refuse(record, key, "locked by AcquireLock");
		return this.start(key, record, fn, options);
	}

	private refuse(record: RunRecord | undefined, key: string, why: string): LuaTuple<[boolean, unknown]> {
		if (record !== undefined) statsOf(record).refused += 1;
		this.totals.refused += 1;
		if (this.debugMode) print(`[ExecutionGuard] "${key}": blocked, ${why}`);
		return $tuple(false, undefined);
	}

	private whileRunning(record: RunRecord, options: ExecutionOptions | undefined): LuaTuple<[boolean, unknown]> {
		const caller = coroutine.running();
		if (this.isInsideRun(record, caller)) {
			throw new GuardError(
				"Reentrant",
				`RunOnce("${record.key}") was called from inside its own running function; it would wait for itself. ` +
					`Call the work directly, or use another key.`,
				{ key: record.key },
			);
		}
		if (options?.join !== true) return this.refuse(record, record.key, "already running");
		statsOf(record).joined += 1;
		this.totals.joined += 1;
		addJoiner(this.timers, record, caller, options.joinTimeout);
		if (this.debugMode) print(`[ExecutionGuard] "${record.key}": already running, joining it`);
		return waitForWake();
	}

	/** True when `caller` is the thread running `record`'s fn, or a run started (transitively) by it. */
	private isInsideRun(record: RunRecord, caller: thread) {
		const current = this.currentRun;
		let run = current !== false && current.active?.thread === caller ? current : this.yieldedRuns.get(caller);
		while (run !== undefined) {
			if (run === record) return true;
			run = run.active?.parent;
		}
		return record.active?.thread === caller;
	}

	/**
	 * Starts a run of `key` (its checks passed, its key free): `record` is the key's stored record, or
	 * undefined for a key never seen. Returns the run's outcome: at once when `fn` did not yield, else
	 * once it ends, times out or is cancelled.
	 *
	 * @example
	 * ```ts
	 * return engine.start(key, engine.store.get(key), fn, options);
	 * ```
	 */
	public start(
		key: string,
		existing: RunRecord | undefined,
		fn: Callback,
		options: ExecutionOptions | undefined,
	): LuaTuple<[boolean, unknown]> {
		const startedAt = os.clock();
		let previousResult: unknown;
		let record: RunRecord;
		if (existing === undefined) {
			record = this.store.createRunning(key, startedAt);
		} else {
			record = existing;
			if (record.status === "Completed") {
				// A rerun: keep the previous success's duration before this run replaces its times.
				keepFirstDuration(record, this.sampleWindow);
				// `result` is only set while Completed; the run keeps the old one readable until it ends.
				previousResult = record.result;
				record.result = undefined;
			}
			record.status = "Running";
			record.executionCount += 1;
			record.startedAt = startedAt;
		}
		const current = this.currentRun;
		let parent: RunRecord | undefined;
		// Only a run started from inside another run has a parent; outside any run skip the lookups.
		if (current !== false || this.yieldedCount > 0) {
			const caller = coroutine.running();
			parent = current !== false && current.active?.thread === caller ? current : this.yieldedRuns.get(caller);
		}
		let runner = runners.free;
		if (runner === undefined) runner = newRunner();
		else runners.free = undefined;
		// Only the fields the no-yield path reads; `enterSlowPath` adds the rest if fn yields.
		const active = { record, thread: runner, parent } as ActiveRun;
		if (previousResult !== undefined) active.previousResult = previousResult;
		record.active = active;
		if (this.debugMode) print(`[ExecutionGuard] "${key}": running (execution #${record.executionCount})`);

		const cacheResult = options === undefined || options.cacheResult !== false;
		this.currentRun = record;
		// Returns once fn ended (the runner then yields RUN_ENDED and the outcome) or first yielded.
		const [, ended, ok, value, traceback] = coroutine.resume(runner, this, active, fn, cacheResult);
		this.currentRun = current;

		if (ended === RUN_ENDED) {
			// The runner waits at its yield for the next run: it is free already, whatever settling
			// below wakes (a joiner's own RunOnce may take it).
			runners.free = runner;
			// Ended by Cancel from inside its own fn.
			if (record.active !== active) return $tuple(false, copyError(record.stats!.lastError!));
			// A failure, or a run someone else waits for (a joiner): the full settle.
			if (ok !== true || active.heapIndex !== undefined) {
				return this.finishRun(active, ok as boolean, value, traceback as string, cacheResult);
			}
			// The common run: it succeeded and nothing else waits for it (no timer, lock or joiner).
			record.status = "Completed";
			record.result = cacheResult ? value : undefined;
			record.active = undefined;
			const now = os.clock();
			record.finishedAt = now;
			const stats = record.stats;
			if (stats !== undefined) addSample(stats.samples, now - startedAt, this.sampleWindow);
			if (this.bounded) this.store.noteFinished(record);
			if (this.debugMode) print(`[ExecutionGuard] "${key}": completed in ${(now - startedAt) * 1000} ms`);
			return $tuple(true, value);
		}
		// fn yielded: from now on the runner settles the run itself when fn ends (see runner.ts). Set
		// before anything else, a run cancelled from inside its fn included: that runner must not hand
		// its late outcome to a resume that is no longer waiting for it.
		active.waiter = coroutine.running();
		// Ended by Cancel from inside its own synchronous part.
		if (record.active !== active) return $tuple(false, copyError(record.stats!.lastError!));

		// Arm the timeout in the guard's one timer heap and wait for the outcome.
		enterSlowPath(active);
		active.timeout = options?.timeout ?? DEFAULT_TIMEOUT;
		active.onTimeout = options?.onTimeout;
		if (options?.cancelOnTimeout === false) active.cancelOnTimeout = false;
		active.deadline = startedAt + active.timeout;
		this.timers.push(active);
		this.yieldedRuns.set(runner, record);
		this.yieldedCount += 1;
		return waitForWake();
	}

	/**
	 * @internal Settles a run once `fn` has ended, unless it was ended meanwhile (a late finish is
	 * ignored), and wakes whoever waits for it. Returns the run's outcome.
	 *
	 * @example
	 * ```ts
	 * executor.finishRun(active, ok, value, ok ? "" : lastTraceback(), cacheResult); // runner.ts
	 * ```
	 */
	public finishRun(
		active: ActiveRun,
		ok: boolean,
		value: unknown,
		traceback: string,
		cacheResult: boolean,
	): LuaTuple<[boolean, unknown]> {
		const record = active.record;
		if (record.active !== active) {
			if (this.debugMode) print(`[ExecutionGuard] "${record.key}": late finish of an ended run ignored`);
			return $tuple(false, undefined);
		}
		const now = os.clock();
		let outcome: unknown = value;
		if (ok) {
			record.status = "Completed";
			record.result = cacheResult ? value : undefined;
			// A key's first duration is finishedAt - startedAt; the window exists from the second run on.
			const stats = record.stats;
			if (stats !== undefined) addSample(stats.samples, now - record.startedAt!, this.sampleWindow);
			if (this.debugMode) {
				print(`[ExecutionGuard] "${record.key}": completed in ${(now - record.startedAt!) * 1000} ms`);
			}
		} else {
			outcome = new GuardError("ExecutionFailed", `"${record.key}" failed: ${tostring(value)}`, {
				key: record.key,
				cause: value,
				traceback,
			});
			statsOf(record).failed += 1;
			this.totals.failed += 1;
			this.endRun(record, "Failed", outcome as GuardError, now);
			if (this.debugMode) print(`[ExecutionGuard] "${record.key}": failed: ${tostring(value)}`);
		}
		this.settle(record, active, now);
		if (active.heapIndex !== undefined) {
			wakeJoiners(this.timers, active, ok, outcome);
			if (active.waiter !== undefined) wake(active.waiter, ok, outcome);
		}
		return $tuple(ok, outcome);
	}

	/**
	 * Stops the running `record` (`Cancel`): its thread is cancelled, its callers get Cancelled, its
	 * status goes back to Idle.
	 *
	 * @example
	 * ```ts
	 * if (record.status === "Running") engine.cancel(record);
	 * ```
	 */
	public cancel(record: RunRecord) {
		statsOf(record).cancelled += 1;
		this.totals.cancelled += 1;
		if (this.debugMode) print(`[ExecutionGuard] "${record.key}": cancelled`);
		const err = new GuardError("Cancelled", `"${record.key}" was cancelled while running`, { key: record.key });
		this.stopRun(record, "Idle", err, true);
	}

	/**
	 * `ClearResult`: forgets the result and the completion, keeping the key's durations. During a
	 * rerun the previous result is forgotten at once and the rerun goes on (its own result is kept).
	 *
	 * @example
	 * ```ts
	 * engine.clearResult(record);
	 * ```
	 */
	public clearResult(record: RunRecord) {
		if (record.status === "Running") {
			record.active!.previousResult = undefined;
			return;
		}
		if (record.status === "Completed") {
			keepFirstDuration(record, this.sampleWindow);
			record.status = "Idle";
		}
		record.result = undefined;
	}

	/** Common end of a run: detach it from the record, free its timer/lock. */
	private settle(record: RunRecord, active: ActiveRun, now: number) {
		record.active = undefined;
		record.finishedAt = now;
		if (active.heapIndex !== undefined) {
			if (active.heapIndex >= 0) this.timers.remove(active);
			if (this.yieldedRuns.delete(active.thread)) this.yieldedCount -= 1;
			if (active.lockHandle !== undefined) active.lockHandle.Release();
		}
		if (this.bounded) this.store.noteFinished(record);
	}

	private endRun(record: RunRecord, status: ExecutionStatus, err: GuardError, now: number) {
		record.status = status;
		const stats = statsOf(record);
		// The callers get `err`; the record keeps a copy of its own that no caller can change.
		stats.lastError = copyError(err);
		stats.lastProblemAt = now;
		record.result = undefined;
	}

	/** Stops `record`'s run with `err` (timeout or cancel): callers resolve, the thread is cancelled. */
	private stopRun(record: RunRecord, status: ExecutionStatus, err: GuardError, cancelThread: boolean) {
		const active = record.active!;
		const now = os.clock();
		this.endRun(record, status, err, now);
		this.settle(record, active, now);
		if (cancelThread && active.thread !== coroutine.running()) {
			// A runner that is not suspended (it resumed the code calling us) cannot be cancelled;
			// its late finish is then ignored (it is no longer the active run).
			pcall(task.cancel, active.thread);
		}
		if (active.heapIndex === undefined) return;
		if (status === "TimedOut" && active.onTimeout !== undefined) {
			task.spawn(callOnTimeout, record, active.onTimeout);
		}
		wakeJoiners(this.timers, active, false, err);
		if (active.waiter !== undefined) wake(active.waiter, false, err);
	}

	private onTimer(entry: DeadlineEntry, now: number) {
		const kind = (entry as unknown as { kind?: TimerKind }).kind;
		if (kind === undefined) {
			const active = entry as ActiveRun;
			const record = active.record;
			if (record.active !== active) return;
			statsOf(record).timedOut += 1;
			this.totals.timedOut += 1;
			const err = new GuardError(
				"Timeout",
				`"${record.key}" ran longer than its timeout of ${active.timeout} s; the lock is released so it can be retried`,
				{ key: record.key, timeout: active.timeout },
			);
			if (this.debugMode) print(`[ExecutionGuard] "${record.key}": timed out after ${active.timeout} s`);
			this.stopRun(record, "TimedOut", err, active.cancelOnTimeout !== false);
		} else if (kind === TimerKind.JoinWait) {
			endJoinWait(entry as JoinWait, now, this.debugMode);
		} else {
			this.store.sweep(now);
		}
	}
}
