/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- the guide's Luau API returns two values, (success, result) */
import { GuardError } from "../errors/GuardError";
import { KeyedLock } from "../lock/KeyedLock";
import { LockHandle } from "../lock/LockTypes";
import { DeadlineEntry, DeadlineHeap } from "../timing/DeadlineHeap";
import { addSample } from "./durationSamples";
import { RecordStore } from "./RecordStore";
import { ActiveRun, enterSlowPath, JoinWait, RunRecord, statsOf, TIMER_TOLERANCE, TimerKind } from "./RunRecord";
import { RunExecutor, takeRunner } from "./runner";
import { ExecutionGuardConfig, ExecutionOptions, ExecutionStatus, GlobalAnalytics } from "./types";
import { validateConfig } from "./validate";

/** First value a waiting thread is resumed with, so a stray resume is told apart from ours. */
const WAKE = {};
const DEFAULT_TIMEOUT = 30;

function wake(thread: thread, ok: boolean, value: unknown) {
	// A waiter killed meanwhile (e.g. its Promise was cancelled) must not be resumed.
	if (coroutine.status(thread) === "suspended") task.spawn(thread, WAKE, ok, value);
}

export function waitForWake(): LuaTuple<[boolean, unknown]> {
	while (true) {
		const [token, ok, value] = coroutine.yield() as LuaTuple<[unknown, boolean, unknown]>;
		if (token === WAKE) return $tuple(ok, value);
	}
}

/**
 * The run machinery behind {@link ExecutionGuard}: starting runs in runner threads, waiting, joining,
 * settling, timeouts and cancellation. Split from the public class so each file holds one concern;
 * use ExecutionGuard.
 *
 * @example
 * ```ts
 * const guard = new ExecutionGuard(); // RunEngine is not used directly
 * ```
 */
export class RunEngine implements RunExecutor {
	protected readonly timers: DeadlineHeap<DeadlineEntry>;
	protected readonly store: RecordStore;
	/**
	 * The store's map, held here too so RunOnce's lookup is one field read instead of two
	 * (`this.store.map`); the store hands over its new map whenever it rebuilds it.
	 */
	protected records: Map<string, RunRecord>;
	protected readonly locks = new KeyedLock({ name: "ExecutionGuard" });
	protected readonly manualHandles = new Map<string, LockHandle>();
	/** AcquireLock calls waiting or holding a key; while 0, RunOnce need not ask the KeyedLock. */
	protected manualLockUsers = 0;
	/** Runs whose fn yielded, by runner thread (re-entrancy chains), and how many there are. */
	protected readonly yieldedRuns = new Map<thread, RunRecord>();
	protected yieldedCount = 0;
	protected readonly sampleWindow: number;
	protected readonly totals: GlobalAnalytics = {
		totalExecutions: 0,
		blockedExecutions: 0,
		cacheHits: 0,
		failed: 0,
		timedOut: 0,
		cancelled: 0,
		joined: 0,
		removed: 0,
	};
	/** The run whose `fn` is executing right now without having yielded (re-entrancy chains). */
	protected currentRun: RunRecord | undefined;
	// Outcome of a run that settled before its caller yielded; read once by that caller.
	protected settledRun: ActiveRun | undefined;
	protected settledOk = false;
	protected settledValue: unknown;

	/**
	 * @param debugMode print every decision with its key (for the F9 console while developing)
	 * @param config memory bounds: `resultTtl`, `maxRecords`, `sampleWindow` (all optional)
	 *
	 * @example
	 * ```ts
	 * const guard = new ExecutionGuard(true, { resultTtl: 86400, maxRecords: 10000 });
	 * ```
	 */
	public constructor(
		protected readonly debugMode = false,
		config: ExecutionGuardConfig = {},
	) {
		if (!typeIs(debugMode, "boolean")) {
			throw new GuardError(
				"InvalidArgument",
				`ExecutionGuard.new: debug must be a boolean, got ${typeOf(debugMode)}`,
			);
		}
		validateConfig(config);
		this.sampleWindow = config.sampleWindow ?? 32;
		this.timers = new DeadlineHeap<DeadlineEntry>((entry, now) => this.onTimer(entry, now), TIMER_TOLERANCE);
		this.store = new RecordStore(this.timers, config.resultTtl, config.maxRecords, (map) => {
			this.records = map;
		});
		this.records = this.store.map;
	}

	protected block(record: RunRecord | undefined, why: string): LuaTuple<[boolean, unknown]> {
		if (record !== undefined) statsOf(record).blocked += 1;
		this.totals.blockedExecutions += 1;
		if (this.debugMode) print(`[ExecutionGuard] "${record?.key}": blocked, ${why}`);
		return $tuple(false, undefined);
	}

	protected whileRunning(record: RunRecord, options: ExecutionOptions | undefined): LuaTuple<[boolean, unknown]> {
		const caller = coroutine.running();
		if (this.isInsideRun(record, caller)) {
			throw new GuardError(
				"Reentrant",
				`RunOnce("${record.key}") was called from inside its own running function; it would wait for itself. ` +
					`Call the work directly, or use another key.`,
				{ key: record.key },
			);
		}
		if (options?.join !== true) return this.block(record, "already running");
		statsOf(record).joined += 1;
		this.totals.joined += 1;
		const joiner: JoinWait = {
			kind: TimerKind.JoinWait,
			thread: caller,
			record,
			startedWaiting: os.clock(),
			deadline: 0,
			heapIndex: -1,
		};
		if (options.joinTimeout !== undefined) {
			joiner.deadline = joiner.startedWaiting + options.joinTimeout;
			this.timers.push(joiner);
		}
		const active = enterSlowPath(record.active!);
		(active.joiners ??= []).push(joiner);
		if (this.debugMode) print(`[ExecutionGuard] "${record.key}": already running, joining it`);
		return waitForWake();
	}

	/** True when `caller` is the thread running `record`'s fn, or a run started (transitively) by it. */
	protected isInsideRun(record: RunRecord, caller: thread) {
		const current = this.currentRun;
		let run = current?.active?.thread === caller ? current : this.yieldedRuns.get(caller);
		while (run !== undefined) {
			if (run === record) return true;
			run = run.active?.parent;
		}
		return record.active?.thread === caller;
	}

	protected run(
		record: RunRecord,
		fn: Callback,
		options: ExecutionOptions | undefined,
	): LuaTuple<[boolean, unknown]> {
		let previousResult: unknown;
		if (record.status === "Completed") {
			// A rerun: keep the previous success's duration before this run replaces its times (a key's
			// first duration is only its startedAt/finishedAt; the sample window starts with the second).
			const samples = statsOf(record).samples;
			if (samples.values.isEmpty()) {
				addSample(samples, record.finishedAt! - record.startedAt!, this.sampleWindow);
			}
			// `result` is only set while Completed; the run keeps the old one readable until it ends.
			previousResult = record.result;
			record.result = undefined;
		}
		record.status = "Running";
		record.executionCount += 1;
		const startedAt = os.clock();
		record.startedAt = startedAt;
		const current = this.currentRun;
		let parent: RunRecord | undefined;
		// Only a run started from inside another run has a parent; outside any run skip the lookups.
		if (current !== undefined || this.yieldedCount > 0) {
			const caller = coroutine.running();
			parent =
				current !== undefined && current.active?.thread === caller ? current : this.yieldedRuns.get(caller);
		}
		const runner = takeRunner();
		// Only the fields the no-yield path reads; `enterSlowPath` adds the rest if fn yields.
		const active = { record, thread: runner, parent } as ActiveRun;
		if (previousResult !== undefined) active.previousResult = previousResult;
		record.active = active;
		this.totals.totalExecutions += 1;
		if (this.debugMode) print(`[ExecutionGuard] "${record.key}": running (execution #${record.executionCount})`);

		this.currentRun = record;
		// Returns once fn finished (the run is then settled) or first yielded.
		coroutine.resume(runner, this, active, fn, options?.cacheResult ?? true);
		this.currentRun = current;

		if (this.settledRun === active) {
			const value = this.settledValue;
			this.settledRun = undefined;
			this.settledValue = undefined;
			return $tuple(this.settledOk, value);
		}
		// Ended by Cancel from inside its own synchronous part.
		if (record.active !== active) return $tuple(false, record.stats?.lastError);

		// fn yielded: arm the timeout in the guard's one timer heap and wait for the outcome.
		enterSlowPath(active);
		active.timeout = options?.timeout ?? DEFAULT_TIMEOUT;
		active.onTimeout = options?.onTimeout;
		if (options?.cancelOnTimeout === false) active.cancelOnTimeout = false;
		active.deadline = startedAt + active.timeout;
		this.timers.push(active);
		this.yieldedRuns.set(runner, record);
		this.yieldedCount += 1;
		active.waiter = coroutine.running();
		return waitForWake();
	}

	/** @internal Runner-thread step once `fn` has ended: settles the run unless it was ended meanwhile. */
	public finishRun(active: ActiveRun, ok: boolean, value: unknown, traceback: string, cacheResult: boolean) {
		const record = active.record;
		if (record.active !== active) {
			if (this.debugMode) print(`[ExecutionGuard] "${record.key}": late finish of an ended run ignored`);
			return;
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
			this.wakeJoiners(active, ok, outcome);
			if (active.waiter !== undefined) {
				wake(active.waiter, ok, outcome);
				return;
			}
		}
		// Written last: waking joiners may run other RunOnce calls that settle other runs.
		this.settledRun = active;
		this.settledOk = ok;
		this.settledValue = outcome;
	}

	/** Common end of a run: detach it from the record, free its timer/lock. */
	protected settle(record: RunRecord, active: ActiveRun, now: number) {
		record.active = undefined;
		record.finishedAt = now;
		if (active.heapIndex !== undefined) {
			if (active.heapIndex >= 0) this.timers.remove(active);
			if (this.yieldedRuns.delete(active.thread)) this.yieldedCount -= 1;
			if (active.lockHandle !== undefined) active.lockHandle.Release();
		}
		if (this.store.bounded) this.store.noteFinished(record);
	}

	protected endRun(record: RunRecord, status: ExecutionStatus, err: GuardError, now: number) {
		record.status = status;
		const stats = statsOf(record);
		stats.lastError = err;
		stats.lastProblemAt = now;
		record.result = undefined;
	}

	protected wakeJoiners(active: ActiveRun, ok: boolean, outcome: unknown) {
		const joiners = active.joiners;
		if (joiners === undefined) return;
		active.joiners = undefined;
		for (const joiner of joiners) {
			if (joiner.heapIndex >= 0) this.timers.remove(joiner);
			wake(joiner.thread, ok, outcome);
		}
	}

	/** Stops `record`'s run with `err` (timeout or cancel): callers resolve, the thread is cancelled. */
	protected stopRun(record: RunRecord, status: ExecutionStatus, err: GuardError, cancelThread: boolean) {
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
		if (status === "TimedOut" && active.onTimeout !== undefined) task.spawn(active.onTimeout, record.key);
		this.wakeJoiners(active, false, err);
		if (active.waiter !== undefined) wake(active.waiter, false, err);
	}

	protected onTimer(entry: DeadlineEntry, now: number) {
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
			const joiner = entry as JoinWait;
			const joiners = joiner.record.active?.joiners;
			const index = joiners?.indexOf(joiner) ?? -1;
			if (index < 0) return;
			joiners!.remove(index);
			const waited = now - joiner.startedWaiting;
			const key = joiner.record.key;
			if (this.debugMode) print(`[ExecutionGuard] "${key}": a joiner stopped waiting after ${waited} s`);
			wake(
				joiner.thread,
				false,
				new GuardError("Timeout", `waited ${waited} s for "${key}" to finish; the run itself goes on`, {
					key,
					waited,
				}),
			);
		} else {
			const before = this.store.removed;
			this.store.sweep(now);
			this.totals.removed += this.store.removed - before;
		}
	}
}
