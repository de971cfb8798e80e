import { LockDeadline } from "./lockDeadlines";
import type { PermitEngine } from "./PermitEngine";
import type { PermitHandle } from "./PermitHandle";
import type { WaiterNode } from "./PermitQueue";

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
	/**
	 * True once the record took one of the lock's `maxIdleKeys` places, the first time it went idle:
	 * it is then kept for its counters whenever nothing is held and nobody waits, until ReleaseAll.
	 * A record that went idle with no place left is dropped (its counts move to the totals).
	 */
	kept: boolean;
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
		kept: false,
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
