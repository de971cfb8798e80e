// Past 300 lines on purpose: grant, release, expiry, hand-down and ReleaseAll all keep the records,
// the idle-key accounting and the token counter consistent; split across files, that state would be
// shared between them.
import { GuardError } from "../errors/GuardError";
import { DeadHolderWatch } from "./DeadHolderWatch";
import {
	KeyRecord,
	LockCounts,
	WaiterNode,
	WaiterState,
	addCounts,
	enqueue,
	newKeyRecord,
	oldestHolder,
	takeAllWaiters,
	unlink,
	zeroCounts,
} from "./KeyRecord";
import { holdEndedWarning, seconds, staleReleaseWarning, waitCancelled, waitTimedOut } from "./lockErrors";
import { lockDeadlines } from "./lockDeadlines";
import { PermitHandle, newPermitHandle, unleasedMetatable } from "./PermitHandle";

/**
 * The in-memory state machine a `KeyedLock` (1 permit per key) or a `Semaphore` (N) owns: per-key
 * records, FIFO waiters handed the permit directly on release, leases and waiter timeouts on the
 * shared deadline heap, fencing tokens, counters. It checks no input: its owner does, before calling.
 *
 * A hold can be *bound* to a thread (a waiter granted the key but not resumed yet, a WithLock): if
 * that thread dies, the hold is taken back (counted `abandoned`) the next time anyone looks at the
 * key, or soon while others wait for it ({@link DeadHolderWatch}). Unbound holds cost nothing extra.
 *
 * @example
 * ```ts
 * const engine = new PermitEngine(1, undefined, 256, "TradeLocks");
 * const handle = engine.takeIfFree("trade_1", coroutine.running(), undefined, undefined);
 * handle?.Release();
 * ```
 */
export class PermitEngine {
	public readonly records = new Map<string, KeyRecord>();
	/** Counters of keys no longer tracked (dropped idle keys, ReleaseAll). */
	public readonly retired: LockCounts = zeroCounts();
	private idleCount = 0;
	/** The last fencing token handed out. */
	private lastToken = 0;
	private readonly deadHolders = new DeadHolderWatch((handle) => this.abandon(handle));

	public constructor(
		public readonly permits: number,
		public readonly defaultLeaseTtl: number | undefined,
		private readonly maxIdleKeys: number,
		/** The lock's name as messages show it (already shortened). */
		public readonly name: string,
	) {}

	/** The record of `key`, created or woken from idle, for an acquisition. */
	public recordFor(key: string) {
		let record = this.records.get(key);
		if (record === undefined) {
			record = newKeyRecord(key, this, this.permits > 1);
			this.records.set(key, record);
		} else if (record.idle) {
			record.idle = false;
			this.idleCount -= 1;
		}
		return record;
	}

	/**
	 * TryAcquire's hot path: grants `key` to the calling thread with the default lease if the key has a
	 * record (so it was checked when the record was made) and a free permit; undefined otherwise, and
	 * the caller takes the checked path.
	 */
	public takeKnownFree(key: string): PermitHandle | undefined {
		const record = this.records.get(key);
		if (record === undefined || record.held >= this.permits) return undefined;
		if (record.idle) {
			record.idle = false;
			this.idleCount -= 1;
		}
		const leaseTtl = this.defaultLeaseTtl;
		if (leaseTtl !== undefined || record.holders !== undefined) {
			return this.grant(record, coroutine.running(), leaseTtl, os.clock(), undefined);
		}
		// grant() written out for a free single-holder key without a lease: nothing to schedule or bind.
		const token = this.lastToken + 1;
		this.lastToken = token;
		const fields = { key, token, acquiredAt: os.clock(), owner: coroutine.running(), record, held: true };
		const handle = setmetatable(fields, unleasedMetatable as never) as unknown as PermitHandle;
		record.held = 1;
		record.holder = handle;
		record.acquired += 1;
		return handle;
	}

	/**
	 * Grants `key` if a permit is free right now; undefined (counted as contended) when it is full.
	 * `key` is already checked.
	 */
	public takeIfFree(key: string, owner: unknown, leaseTtl: number | undefined, bound: thread | undefined) {
		const record = this.recordFor(key);
		const now = os.clock();
		if (record.held < this.permits || this.makeRoom(record, now))
			return this.grant(record, owner, leaseTtl, now, bound);
		record.contended += 1;
		return undefined;
	}

	/** Ends holds that can no longer be used (a lease run out, a bound thread dead); true if a permit is free. */
	public makeRoom(record: KeyRecord, now: number) {
		this.expireDue(record, now);
		if (record.bound > 0) this.deadHolders.reap(record);
		return record.held < this.permits;
	}

	public grant(
		record: KeyRecord,
		owner: unknown,
		leaseTtl: number | undefined,
		now: number,
		bound: thread | undefined,
	): PermitHandle {
		const token = this.lastToken + 1;
		this.lastToken = token;
		const expiresAt = leaseTtl !== undefined ? now + leaseTtl : undefined;
		const handle = newPermitHandle(record, token, now, expiresAt, owner);
		record.held += 1;
		if (record.holders !== undefined) record.holders.add(handle);
		else record.holder = handle;
		record.acquired += 1;
		if (expiresAt !== undefined) lockDeadlines.push(handle);
		if (bound !== undefined) this.deadHolders.bind(handle, bound);
		return handle;
	}

	/** Ties `handle`'s hold to `thread`: if the thread dies, the hold is taken back. */
	public bind(handle: PermitHandle, thread: thread) {
		if (handle.held) this.deadHolders.bind(handle, thread);
	}

	/** Unties `handle` from its thread (a waiter resumed with its handle: the handle is a value now). */
	public unbind(handle: PermitHandle) {
		this.deadHolders.unbind(handle);
	}

	/** `handle.Release()` of an unleased handle. */
	public release(handle: PermitHandle) {
		const record = handle.record;
		// The common case: a single-holder key nobody waits for and no bound holder. For such a key
		// `record.holder === handle` holds exactly while this handle holds it, so a stale handle never
		// gets past it.
		if (record.holder === handle && record.head === undefined && record.bound === 0) {
			handle.held = false;
			record.held = 0;
			record.holder = undefined;
			// settle() written out for its usual outcome (keep the idle record while there is room).
			if (this.idleCount < this.maxIdleKeys) {
				record.idle = true;
				this.idleCount += 1;
			} else this.settle(record);
			return true;
		}
		if (handle.held) {
			this.freePermit(handle);
			return true;
		}
		return this.staleRelease(handle);
	}

	/** `handle.Release()` of a leased handle: a lease past its end counts as expired, not released. */
	public releaseLeased(handle: PermitHandle) {
		if (handle.held) {
			if (os.clock() < handle.expiresAt!) {
				this.freePermit(handle);
				return true;
			}
			this.expire(handle);
		}
		return this.staleRelease(handle);
	}

	private staleRelease(handle: PermitHandle) {
		const record = handle.record;
		const tracked = this.records.get(handle.key) === record;
		if (tracked) record.staleReleases += 1;
		else this.retired.staleReleases += 1;
		const current = tracked ? oldestHolder(record) : undefined;
		warn(staleReleaseWarning(this.name, handle, current));
		return false;
	}

	/** Ends a hold (release, expiry, dead thread) and hands the permit on. */
	private freePermit(handle: PermitHandle) {
		if (handle.bound !== undefined) this.deadHolders.unbind(handle);
		handle.held = false;
		lockDeadlines.remove(handle);
		const record = handle.record;
		record.held -= 1;
		if (record.holders !== undefined) record.holders.delete(handle);
		else if (record.holder === handle) record.holder = undefined;
		this.handDown(record);
		this.settle(record);
	}

	/** Gives free permits to the queue's head waiters (skipping threads that died while queued). */
	private handDown(record: KeyRecord) {
		while (record.held < this.permits) {
			const node = record.head;
			if (node === undefined) return;
			unlink(record, node);
			lockDeadlines.remove(node);
			if (coroutine.status(node.thread) !== "suspended") {
				// task.cancel'ed (or otherwise ended) while queued: it can never use the permit.
				node.state = WaiterState.Failed;
				record.cancelled += 1;
				continue;
			}
			const leaseTtl = node.leaseTtl ?? this.defaultLeaseTtl;
			// Bound until the waiter resumes and takes its handle: cancelled before that, it gives the key back.
			node.handle = this.grant(record, node.holderLabel, leaseTtl, os.clock(), node.thread);
			node.state = WaiterState.Granted;
			// Deferred, not spawned: a chain of waiters that release at once must not nest resumes.
			task.defer(node.thread);
		}
	}

	/** Keeps an unused record for its counters, or drops it when too many idle keys are kept. */
	private settle(record: KeyRecord) {
		if (record.held > 0 || record.waiting > 0 || record.idle) return;
		if (this.records.get(record.key) !== record) return;
		if (this.idleCount < this.maxIdleKeys) {
			record.idle = true;
			this.idleCount += 1;
		} else {
			this.records.delete(record.key);
			addCounts(this.retired, record);
		}
	}

	/** Ends holds whose lease has run out but whose timer has not fired yet. */
	private expireDue(record: KeyRecord, now: number) {
		const holders = record.holders;
		if (holders === undefined) {
			const expiresAt = record.holder?.expiresAt;
			if (expiresAt !== undefined && expiresAt <= now) this.expire(record.holder!);
			return;
		}
		// Copied first: expiring hands permits on, which adds to the set being walked.
		for (const handle of [...holders]) {
			const expiresAt = handle.expiresAt;
			if (expiresAt !== undefined && expiresAt <= now) this.expire(handle);
		}
	}

	/** Lease end (timer or lazily noticed): the key frees itself, the handle goes stale. */
	public expire(handle: PermitHandle) {
		if (!handle.held) return;
		handle.record.expired += 1;
		warn(holdEndedWarning(this.name, handle, `its lease ran out after ${seconds(os.clock() - handle.acquiredAt)}`));
		this.freePermit(handle);
	}

	/** A hold whose bound thread died: counted, warned about, and its permit passed on. */
	private abandon(handle: PermitHandle) {
		handle.record.abandoned += 1;
		warn(holdEndedWarning(this.name, handle, "the thread it was bound to no longer runs (task.cancel?)"));
		this.freePermit(handle);
	}

	/** Queues the caller for `record` (already found full); the caller yields until the node's state changes. */
	public enqueue(
		record: KeyRecord,
		thread: thread,
		owner: unknown,
		leaseTtl: number | undefined,
		timeout: number | undefined,
		now: number,
		scoped: boolean,
	) {
		const node = new WaiterNode(this, record, thread, owner, leaseTtl, now, scoped);
		enqueue(record, node);
		if (timeout !== undefined) {
			node.deadline = now + timeout;
			lockDeadlines.push(node);
		}
		this.deadHolders.watch(record);
		return node;
	}

	/** Waiter timeout from the deadline heap: the waiter resumes with `Timeout`. */
	public timeOutWaiter(node: WaiterNode) {
		if (node.state !== WaiterState.Waiting) return;
		const record = node.record;
		record.timedOut += 1;
		const waited = os.clock() - node.startedAt;
		this.endWait(node, waitTimedOut(this.name, record.key, waited, record.holder?.acquiredAt), true);
	}

	/** Removes a queued waiter (promise cancelled); the thread is not resumed (the promise closes it). */
	public cancelWaiter(node: WaiterNode, why: string) {
		if (node.state !== WaiterState.Waiting) return;
		node.record.cancelled += 1;
		this.endWait(node, waitCancelled(this.name, node.record.key, why, os.clock() - node.startedAt), false);
	}

	private endWait(node: WaiterNode, failure: GuardError, resume: boolean) {
		unlink(node.record, node);
		lockDeadlines.remove(node);
		node.state = WaiterState.Failed;
		node.error = failure;
		if (resume && coroutine.status(node.thread) === "suspended") task.defer(node.thread);
		this.settle(node.record);
	}

	/** True when every permit of `key` is taken by a hold that can still be used (never creates a record). */
	public isFull(key: string) {
		const record = this.records.get(key);
		if (record === undefined || record.held < this.permits) return false;
		return !this.makeRoom(record, os.clock());
	}

	/** The record of `key` with every hold that can no longer be used ended, or undefined if untracked. */
	public inspect(key: string) {
		const record = this.records.get(key);
		if (record !== undefined && record.held > 0) this.makeRoom(record, os.clock());
		return record;
	}

	/** Ends every hold and fails every waiter with `Cancelled`; returns how many holds ended. */
	public releaseAll(): number {
		let ended = 0;
		for (const [, record] of this.records) {
			for (const node of takeAllWaiters(record)) {
				lockDeadlines.remove(node);
				record.cancelled += 1;
				node.state = WaiterState.Failed;
				node.error = waitCancelled(this.name, record.key, "ReleaseAll ended it", os.clock() - node.startedAt);
				if (coroutine.status(node.thread) === "suspended") task.defer(node.thread);
			}
			const holders = record.holders !== undefined ? [...record.holders] : record.holder ? [record.holder] : [];
			for (const handle of holders) {
				handle.held = false;
				lockDeadlines.remove(handle);
				ended += 1;
			}
			this.deadHolders.stop(record);
			record.holders?.clear();
			record.holder = undefined;
			record.held = 0;
			addCounts(this.retired, record);
		}
		this.records.clear();
		this.idleCount = 0;
		return ended;
	}
}
