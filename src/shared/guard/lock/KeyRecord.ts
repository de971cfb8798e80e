import { GuardError } from "../errors/GuardError";
import { LockDeadline } from "./lockDeadlines";
import { LockHandle } from "./LockTypes";
import { PermitOwner } from "./PermitHandle";

/** A waiter's state: still queued, or how its wait ended. */
export const enum WaiterState {
	Waiting,
	Granted,
	Failed,
}

/** Whoever times out a waiter (the lock that queued it). */
export interface WaiterOwner {
	timeOutWaiter(node: WaiterNode): void;
}

/**
 * One thread queued for a key. Nodes form a doubly linked list per key, so a waiter that times out
 * or is cancelled leaves the queue in O(1) and the queue never holds ghosts (async-mutex #54). The
 * node is also its own timeout entry in the shared deadline heap.
 */
export class WaiterNode implements LockDeadline {
	public previous: WaiterNode | undefined;
	public next: WaiterNode | undefined;
	public state = WaiterState.Waiting;
	public handle: LockHandle | undefined;
	public error: GuardError | undefined;
	public deadline = 0;
	public heapIndex = -1;

	public constructor(
		public readonly owner: WaiterOwner,
		public readonly record: KeyRecord,
		public readonly thread: thread,
		public readonly holderLabel: unknown,
		public readonly leaseTtl: number | undefined,
		public readonly startedAt: number,
	) {}

	public onDeadline() {
		this.owner.timeOutWaiter(this);
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
}

/** Everything a lock tracks for one key: holders, the FIFO queue, counters. */
export interface KeyRecord extends LockCounts {
	readonly key: string;
	/** The lock the record belongs to (handles reach it through their record). */
	readonly lock: PermitOwner;
	/** Permits taken. */
	held: number;
	/** The single holder (KeyedLock only; a Semaphore keeps `holders`). */
	holder: LockHandle | undefined;
	/** Current holders (Semaphore only). */
	holders: Set<LockHandle> | undefined;
	head: WaiterNode | undefined;
	tail: WaiterNode | undefined;
	/** Queued nodes (cancelled or timed-out ones are unlinked at once, so this is exact). */
	waiting: number;
	/** True while the record is kept only for its counters (nothing held, nobody waiting). */
	idle: boolean;
}

/** A fresh record for `key` with nothing held and zero counts. */
export function newKeyRecord(key: string, lock: PermitOwner, withHolderSet: boolean): KeyRecord {
	return {
		key,
		lock,
		held: 0,
		holder: undefined,
		holders: withHolderSet ? new Set() : undefined,
		head: undefined,
		tail: undefined,
		waiting: 0,
		idle: false,
		acquired: 0,
		contended: 0,
		timedOut: 0,
		cancelled: 0,
		expired: 0,
		staleReleases: 0,
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

/** Adds `from`'s counters to `into`. */
export function addCounts(into: LockCounts, from: LockCounts) {
	into.acquired += from.acquired;
	into.contended += from.contended;
	into.timedOut += from.timedOut;
	into.cancelled += from.cancelled;
	into.expired += from.expired;
	into.staleReleases += from.staleReleases;
}
