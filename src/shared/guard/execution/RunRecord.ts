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
 * What only an in-flight run that yielded (or has joiners) needs: created on the slow path, so the
 * common no-yield run allocates nothing but its record. It is also the run's timer-heap entry.
 */
export interface Flight extends TimerEntry {
	readonly kind: TimerKind.RunTimeout;
	readonly record: RunRecord;
	/** The thread that called RunOnce and waits for the outcome once `fn` has yielded. */
	waiter: thread | undefined;
	joiners: Array<JoinWait> | undefined;
	timeout: number;
	onTimeout: ((key: string) => void) | undefined;
	cancelOnTimeout: boolean;
	/** KeyedLock handle taken for the run when an AcquireLock caller wants to queue behind it. */
	lockHandle: { Release(): boolean } | undefined;
}

/** Per-key counters and duration samples, allocated the first time a key needs more than its record. */
export interface KeyStats {
	blocked: number;
	cacheHits: number;
	failed: number;
	timedOut: number;
	cancelled: number;
	joined: number;
	samples: SampleWindow;
	/** `os.clock()` of the last failure, timeout or cancellation (for "newest problems first"). */
	lastProblemAt: number | undefined;
}

/**
 * Everything the guard knows about one key. Internal and mutable; callers see copies
 * (`ExecutionRecordInfo`). Kept to 15 fields — one 16-slot Luau table — because a game can hold tens of
 * thousands of keys; rarer state lives in `flight` and `stats`, allocated only when needed.
 */
export interface RunRecord {
	readonly key: string;
	status: ExecutionStatus;
	/** Bumped whenever a run ends (finish, timeout, cancel): a stale finish sees a different value. */
	generation: number;
	/** The cached result; `undefined` means none (a nil result cannot be cached, as in a Luau table). */
	result: unknown;
	executionCount: number;
	startedAt: number | undefined;
	finishedAt: number | undefined;
	lastDuration: number | undefined;
	lastError: GuardError | undefined;
	/** Runner thread executing `fn` (while Running). */
	thread: thread | undefined;
	/** The run whose `fn` called RunOnce to start this one (re-entrancy chains; while Running). */
	parent: RunRecord | undefined;
	flight: Flight | undefined;
	stats: KeyStats | undefined;
	/** Matches the finish-order queue entry that is current for this record. */
	finishSeq: number;
}

/** A fresh record for `key`, not yet running. */
export function newRecord(key: string): RunRecord {
	return {
		key,
		status: "Idle",
		generation: 0,
		result: undefined,
		executionCount: 0,
		startedAt: undefined,
		finishedAt: undefined,
		lastDuration: undefined,
		lastError: undefined,
		thread: undefined,
		parent: undefined,
		flight: undefined,
		stats: undefined,
		finishSeq: 0,
	};
}

/** The stats of `record`, created on first use. */
export function statsOf(record: RunRecord): KeyStats {
	let stats = record.stats;
	if (stats === undefined) {
		stats = {
			blocked: 0,
			cacheHits: 0,
			failed: 0,
			timedOut: 0,
			cancelled: 0,
			joined: 0,
			samples: { values: [], next: 0 },
			lastProblemAt: undefined,
		};
		record.stats = stats;
	}
	return stats;
}

/** The flight of a running `record`, created on first use (the run yielded or got a joiner). */
export function flightOf(record: RunRecord): Flight {
	let flight = record.flight;
	if (flight === undefined) {
		flight = {
			kind: TimerKind.RunTimeout,
			record,
			deadline: 0,
			heapIndex: -1,
			waiter: undefined,
			joiners: undefined,
			timeout: 30,
			onTimeout: undefined,
			cancelOnTimeout: true,
			lockHandle: undefined,
		};
		record.flight = flight;
	}
	return flight;
}
