import { GuardError } from "../errors/GuardError";
import { LockDeadline } from "./lockDeadlines";
import type { PermitEngine } from "./PermitEngine";
import type { PermitHandle } from "./PermitHandle";

/** A waiter's state: still queued, or how its wait ended. */
export const enum WaiterState {
	Waiting,
	Granted,
	Failed,
}

/**
 * One thread queued for a key. Nodes form a doubly linked list per key, so a waiter that times out
 * or is cancelled leaves the queue in O(1) and the queue never holds ghosts (async-mutex #54). The
 * node is also its own timeout entry in the shared deadline heap.
 *
 * @example
 * ```ts
 * const node = new WaiterNode(engine, record, coroutine.running(), owner, undefined, os.clock(), false);
 * enqueue(record, node);
 * ```
 */
export class WaiterNode implements LockDeadline {
	public previous: WaiterNode | undefined;
	public next: WaiterNode | undefined;
	public state = WaiterState.Waiting;
	public handle: PermitHandle | undefined;
	public error: GuardError | undefined;
	public deadline = 0;
	public heapIndex = -1;

	public constructor(
		public readonly engine: PermitEngine,
		public readonly record: KeyRecord,
		public readonly thread: thread,
		public readonly holderLabel: unknown,
		public readonly leaseTtl: number | undefined,
		public readonly startedAt: number,
		/** True for WithLock/RunWithLock: the hold stays bound to the thread after it resumes. */
		public readonly scoped: boolean,
	) {}

	public onDeadline() {
		this.engine.timeOutWaiter(this);
	}
}

/** Counters kept per key and, for keys no longer tracked, summed per lock. */
export interface LockCounts {
	acquired: number;
	contended: number;
	timedOut: number;
	cancelled: number;
	expired: number;
	staleReleases: number;
	abandoned: number;
}

/** Everything a lock tracks for one key: holders, the FIFO queue, counters. */
export interface KeyRecord extends LockCounts {
	readonly key: string;
	/** The engine the record belongs to (handles reach it through their record). */
	readonly engine: PermitEngine;
	/** Permits taken. */
	held: number;
	/** The single holder (KeyedLock only; a Semaphore keeps `holders`). */
	holder: PermitHandle | undefined;
	/** Current holders (Semaphore only). */
	holders: Set<PermitHandle> | undefined;
	/** Current holders bound to a thread whose death ends the hold (0 on the hot path: no look needed). */
	bound: number;
	head: WaiterNode | undefined;
	tail: WaiterNode | undefined;
	/** Queued nodes (cancelled or timed-out ones are unlinked at once, so this is exact). */
	waiting: number;
	/** True while the record is kept only for its counters (nothing held, nobody waiting). */
	idle: boolean;
	/** The dead-holder timer, made the first time waiters queue behind a thread-bound holder. */
	probe: LockDeadline | undefined;
}

/** A zeroed set of counters. */
export function zeroCounts(): LockCounts {
	return { acquired: 0, contended: 0, timedOut: 0, cancelled: 0, expired: 0, staleReleases: 0, abandoned: 0 };
}

/** A fresh record for `key` with nothing held and zero counts. */
export function newKeyRecord(key: string, engine: PermitEngine, withHolderSet: boolean): KeyRecord {
	return {
		key,
		engine,
		held: 0,
		holder: undefined,
		holders: withHolderSet ? new Set() : undefined,
		bound: 0,
		head: undefined,
		tail: undefined,
		waiting: 0,
		idle: false,
		probe: undefined,
		acquired: 0,
		contended: 0,
		timedOut: 0,
		cancelled: 0,
		expired: 0,
		staleReleases: 0,
		abandoned: 0,
	};
}

/** Appends `node` at the tail of its record's queue. */
export function enqueue(record: KeyRecord, node: WaiterNode) {
	const tail = record.tail;
	node.previous = tail;
	node.next = undefined;
	if (tail === undefined) record.head = node;
	else tail.next = node;
	record.tail = node;
	record.waiting += 1;
}

/** Unlinks `node` from its record's queue in O(1). The node must be queued. */
export function unlink(record: KeyRecord, node: WaiterNode) {
	const previous = node.previous;
	const following = node.next;
	if (previous === undefined) record.head = following;
	else previous.next = following;
	if (following === undefined) record.tail = previous;
	else following.previous = previous;
	node.previous = undefined;
	node.next = undefined;
	record.waiting -= 1;
}

/** Empties the queue of `record` and returns its nodes, head first (ReleaseAll). */
export function takeAllWaiters(record: KeyRecord) {
	const nodes = new Array<WaiterNode>();
	let node = record.head;
	while (node !== undefined) {
		const following = node.next;
		node.previous = undefined;
		node.next = undefined;
		nodes.push(node);
		node = following;
	}
	record.head = undefined;
	record.tail = undefined;
	record.waiting = 0;
	return nodes;
}

/** The holder that has held the key longest (smallest token), if any. */
export function oldestHolder(record: KeyRecord): PermitHandle | undefined {
	if (record.holders === undefined) return record.holder;
	let oldest: PermitHandle | undefined;
	for (const handle of record.holders) if (oldest === undefined || handle.token < oldest.token) oldest = handle;
	return oldest;
}

/** Adds `from`'s counters to `into`. */
export function addCounts(into: LockCounts, from: LockCounts) {
	into.acquired += from.acquired;
	into.contended += from.contended;
	into.timedOut += from.timedOut;
	into.cancelled += from.cancelled;
	into.expired += from.expired;
	into.staleReleases += from.staleReleases;
	into.abandoned += from.abandoned;
}
