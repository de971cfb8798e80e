import { GuardError } from "../errors/GuardError";
import { DeadlineEntry } from "../timing/DeadlineHeap";
import { addSample, SampleWindow } from "./durationSamples";
import { ExecutionStatus } from "./types";

/**
 * Timer entries due within this many seconds after "now" fire in the same pass of the guard's heap,
 * so float rounding between a deadline and the scheduler's wake-up never costs a whole extra frame.
 * The expiry sweep decides what is due with the same margin; with a smaller one it could re-arm for
 * a record the heap then fires at once, over and over.
 *
 * @example
 * ```ts
 * const timers = new DeadlineHeap<DeadlineEntry>((entry, now) => onTimer(entry, now), TIMER_TOLERANCE);
 * ```
 */
export const TIMER_TOLERANCE = 1e-4;

/** Heap entries are told apart by this field: a joiner's wait, the expiry sweep (runs have none). */
export const enum TimerKind {
	JoinWait,
	Sweep,
}

/** A caller waiting for an in-flight run (`join`), possibly with its own deadline. */
export interface JoinWait extends DeadlineEntry {
	/** Always present: a joiner is built with -1 and pushed only when it has a join timeout. */
	heapIndex: number;
	readonly kind: TimerKind.JoinWait;
	readonly thread: thread;
	readonly record: RunRecord;
	readonly startedWaiting: number;
}

/** The expiry/eviction sweep's single heap entry. */
export interface SweepEntry extends DeadlineEntry {
	/** Always present: the store builds its one sweep entry with -1. */
	heapIndex: number;
	readonly kind: TimerKind.Sweep;
}

/**
 * One run of a key, from start to end. Its identity is the run's generation: a finish, timeout or
 * cancel acts only while `record.active` is still this object, so a late finish of an ended run changes
 * nothing. Created with just `thread` and `parent` (the no-yield path needs nothing more); the other
 * fields are added only when the run yields or gets a joiner, and then it is also the run's timer entry.
 */
export interface ActiveRun extends DeadlineEntry {
	// No `kind` field: heap entries without one are runs (one field less keeps it an 8-slot table).
	readonly record: RunRecord;
	/** Runner thread executing `fn`. */
	readonly thread: thread;
	/** The run whose `fn` called RunOnce to start this one (re-entrancy chains). */
	readonly parent: RunRecord | undefined;
	/** The thread that called RunOnce and waits for the outcome once `fn` has yielded. */
	waiter: thread | undefined;
	joiners: Array<JoinWait> | undefined;
	timeout: number;
	onTimeout: ((key: string) => void) | undefined;
	/** Set only when the option says false (absent means cancel), so the common run carries no field. */
	cancelOnTimeout: false | undefined;
	/** KeyedLock handle taken for the run when an AcquireLock caller wants to queue behind it. */
	lockHandle: { Release(): boolean } | undefined;
	/**
	 * A rerun's previous cached result: it stays readable (`GetResult`) while the rerun runs, but off
	 * `record.result`, which holds a value only while the record is Completed (see {@link RunRecord}).
	 */
	previousResult: unknown;
}

/** Per-key counters, durations and problems, allocated the first time a key needs more than its record. */
export interface KeyStats {
	/** Calls answered `(false, nil)`: running without join, locked by AcquireLock, completed uncached. */
	refused: number;
	cacheHits: number;
	failed: number;
	timedOut: number;
	cancelled: number;
	joined: number;
	samples: SampleWindow;
	/** The last failure, timeout or cancellation: the guard's own copy, never handed out (getters copy it). */
	lastError: GuardError | undefined;
	/** `os.clock()` of the last failure, timeout or cancellation (for "newest problems first"). */
	lastProblemAt: number | undefined;
}

/**
 * Everything the guard keeps per key. Internal and mutable; callers see copies (`ExecutionRecordInfo`).
 * Exactly 8 fields — one 8-slot Luau table, ~310 bytes — because a game can hold tens of thousands of
 * keys: the in-flight state lives in `active` and the rarer counters in `stats`, each allocated only
 * when needed.
 */
export interface RunRecord {
	readonly key: string;
	status: ExecutionStatus;
	/**
	 * The cached result, set only while the status is Completed, so that a RunOnce cache hit is one
	 * read and one nil test. `undefined` means none (a nil result cannot be cached, as in a Luau
	 * table). A rerun moves it to `active.previousResult` while it runs; read it with {@link resultOf}.
	 */
	result: unknown;
	executionCount: number;
	/** `os.clock()` when the last run started. */
	startedAt: number | undefined;
	/** `os.clock()` when the last run ended; also stamps its entry in the store's finish-order list. */
	finishedAt: number | undefined;
	/** The run in progress (while Running). */
	active: ActiveRun | undefined;
	stats: KeyStats | undefined;
}

/** The stats of `record`, created on first use. */
export function statsOf(record: RunRecord): KeyStats {
	let stats = record.stats;
	if (stats === undefined) {
		stats = {
			refused: 0,
			cacheHits: 0,
			failed: 0,
			timedOut: 0,
			cancelled: 0,
			joined: 0,
			samples: { values: [], next: 0 },
			lastError: undefined,
			lastProblemAt: undefined,
		};
		record.stats = stats;
	}
	return stats;
}

/**
 * The result `GetResult` shows for `record`: the cached one, or during a rerun the previous one.
 *
 * @example
 * ```ts
 * const cached = resultOf(record);
 * ```
 */
export function resultOf(record: RunRecord): unknown {
	const result = record.result;
	return result !== undefined ? result : record.active?.previousResult;
}

/**
 * Adds the yielded-run fields to `active` (the run yielded or got a joiner); the run's own timeout
 * is set when it is armed.
 *
 * @example
 * ```ts
 * (enterSlowPath(record.active!).joiners ??= []).push(joiner);
 * ```
 */
export function enterSlowPath(active: ActiveRun) {
	if (active.heapIndex !== undefined) return active;
	active.deadline = 0;
	active.heapIndex = -1;
	return active;
}

/**
 * Moves a completed record's only duration into its sample window before something erases it (a
 * rerun replaces the times, ClearResult forgets the completion): a key's first success is kept as
 * `finishedAt - startedAt` alone, and its window is only allocated when a second figure needs it.
 *
 * @example
 * ```ts
 * if (record.status === "Completed") keepFirstDuration(record, 32);
 * ```
 */
export function keepFirstDuration(record: RunRecord, sampleWindow: number) {
	const samples = statsOf(record).samples;
	if (samples.values.isEmpty() && record.finishedAt !== undefined && record.startedAt !== undefined) {
		addSample(samples, record.finishedAt - record.startedAt, sampleWindow);
	}
}

/**
 * A copy of a stored error for a caller: changing it cannot rewrite what the guard keeps.
 *
 * @example
 * ```ts
 * stats.lastError = copyError(err); // the caller gets err, the record its own copy
 * ```
 */
export function copyError(err: GuardError) {
	return new GuardError(err.kind, err.message, table.clone(err.details));
}
