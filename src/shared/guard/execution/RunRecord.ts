import { GuardError } from "../errors/GuardError";
import { SampleWindow } from "./durationSamples";
import { TimerEntry } from "./TimerHeap";
import { ExecutionStatus } from "./types";

/** Heap entries are told apart by this field: a run's timeout, a joiner's wait, the expiry sweep. */
export const enum TimerKind {
	RunTimeout,
	JoinWait,
	Sweep,
}

/** A caller waiting for an in-flight run (`join`), possibly with its own deadline. */
export interface JoinWait extends TimerEntry {
	readonly kind: TimerKind.JoinWait;
	readonly thread: thread;
	readonly record: RunRecord;
	readonly startedWaiting: number;
}

/** The expiry/eviction sweep's single heap entry. */
export interface SweepEntry extends TimerEntry {
	readonly kind: TimerKind.Sweep;
}

/**
 * Everything the guard knows about one key. Internal and mutable; callers see copies
 * (`ExecutionRecordInfo`). One flat table per key — the per-run state of an in-flight run lives in
 * the same table (it is also the run's timer-heap entry), so a run allocates nothing else.
 */
export interface RunRecord extends TimerEntry {
	readonly kind: TimerKind.RunTimeout;
	readonly key: string;
	status: ExecutionStatus;
	/** Bumped whenever the current run ends (finish, timeout, cancel): a stale finish sees a different value. */
	generation: number;
	hasResult: boolean;
	result: unknown;
	executionCount: number;
	startedAt: number | undefined;
	finishedAt: number | undefined;
	lastDuration: number | undefined;
	lastError: GuardError | undefined;
	/** `os.clock()` of the last failure, timeout or cancellation (for "newest problems first"). */
	lastProblemAt: number | undefined;

	// In-flight run state (meaningful while status is Running).
	/** Runner thread executing `fn`. */
	thread: thread | undefined;
	/** The run whose `fn` called RunOnce to start this one (re-entrancy chains). */
	parent: RunRecord | undefined;
	/** The thread that called RunOnce and waits for the outcome once `fn` has yielded. */
	waiter: thread | undefined;
	joiners: Array<JoinWait> | undefined;
	timeout: number;
	onTimeout: ((key: string) => void) | undefined;
	cancelOnTimeout: boolean;
	cacheCurrent: boolean;
	/** Outcome of a run that finished before its caller yielded (the no-yield path), read once. */
	outcomeGeneration: number;
	outcomeOk: boolean;
	outcomeValue: unknown;
	/** KeyedLock handle taken when the run yielded, so AcquireLock waiters queue behind the run. */
	lockHandle: { Release(): boolean } | undefined;

	// Memory bounds and analytics.
	/** Matches the finish-order queue entry that is current for this record. */
	finishSeq: number;
	blocked: number;
	cacheHits: number;
	failed: number;
	timedOut: number;
	cancelled: number;
	joined: number;
	samples: SampleWindow | undefined;
}

/** A fresh record for `key`, not yet running. */
export function newRecord(key: string): RunRecord {
	return {
		kind: TimerKind.RunTimeout,
		key,
		status: "Idle",
		generation: 0,
		hasResult: false,
		result: undefined,
		executionCount: 0,
		startedAt: undefined,
		finishedAt: undefined,
		lastDuration: undefined,
		lastError: undefined,
		lastProblemAt: undefined,
		thread: undefined,
		parent: undefined,
		waiter: undefined,
		joiners: undefined,
		timeout: 30,
		onTimeout: undefined,
		cancelOnTimeout: true,
		cacheCurrent: true,
		outcomeGeneration: -1,
		outcomeOk: false,
		outcomeValue: undefined,
		lockHandle: undefined,
		deadline: 0,
		heapIndex: -1,
		finishSeq: 0,
		blocked: 0,
		cacheHits: 0,
		failed: 0,
		timedOut: 0,
		cancelled: 0,
		joined: 0,
		samples: undefined,
	};
}
