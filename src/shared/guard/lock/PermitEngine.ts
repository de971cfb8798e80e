// Luau callers get `local handle, err = lock:TryAcquire(key)`, the two-value style of the seed API.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { GuardError } from "../errors/GuardError";
import { lockDeadlines } from "./lockDeadlines";
import {
	KeyRecord,
	LockCounts,
	WaiterNode,
	WaiterOwner,
	WaiterState,
	addCounts,
	enqueue,
	newKeyRecord,
	unlink,
} from "./KeyRecord";
import { LockHandle } from "./LockTypes";
import { PermitHandle, PermitOwner, newPermitHandle } from "./PermitHandle";

// Builtins localised once: module globals are slower to reach than upvalues (and Roblox code does this too).
export const clock = os.clock;
export const runningThread = coroutine.running;

/** Receives the queue node of a waiting `Acquire` so a promise can cancel it. */
export interface WaitSlot {
	node?: WaiterNode;
}

function seconds(value: number) {
	return string.format("%.2f s", value);
}

/**
 * The in-memory state machine behind `KeyedLock` (1 permit per key) and `Semaphore` (N per key):
 * per-key records, FIFO waiters handed the permit directly on release, leases and waiter timeouts on
 * the shared deadline heap, fencing tokens, counters. No validation here: the public layer
 * (`KeyedPermits`) checks every input before it reaches the engine.
 */
export abstract class PermitEngine implements PermitOwner, WaiterOwner {
	protected readonly records = new Map<string, KeyRecord>();
	/** Counters of keys no longer tracked (dropped idle keys, ReleaseAll). */
	protected readonly retired: LockCounts = {
		acquired: 0,
		contended: 0,
		timedOut: 0,
		cancelled: 0,
		expired: 0,
		staleReleases: 0,
	};
	/** @internal Idle records kept now (read by the handle's release fast path). */
	public idleCount = 0;
	/** The last fencing token handed out (KeyedPermits' fast path grants inline too). */
	protected lastToken = 0;

	protected constructor(
		protected readonly permits: number,
		protected readonly defaultLeaseTtl: number | undefined,
		/** @internal */
		public readonly maxIdleKeys: number,
		protected readonly name: string,
	) {}

	/** The record of `key`, created or woken from idle, for an acquisition. */
	protected recordFor(key: string) {
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

	/** @internal Keeps an unused record for its counters, or drops it when too many idle keys are kept. */
	public settle(record: KeyRecord) {
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

	protected grant(record: KeyRecord, owner: unknown, leaseTtl: number | undefined, now: number): PermitHandle {
		const token = this.lastToken + 1;
		this.lastToken = token;
		const expiresAt = leaseTtl !== undefined ? now + leaseTtl : undefined;
		const handle = newPermitHandle(record, token, now, expiresAt, owner);
		record.held += 1;
		if (record.holders !== undefined) record.holders.add(handle);
		else record.holder = handle;
		record.acquired += 1;
		if (expiresAt !== undefined) lockDeadlines.push(handle);
		return handle;
	}

	/** Gives free permits to the queue's head waiters (skipping threads that died while queued). */
	private handDown(record: KeyRecord) {
		while (record.held < this.permits) {
			const node = record.head;
			if (node === undefined) return;
			unlink(record, node);
			lockDeadlines.remove(node);
			if (coroutine.status(node.thread) !== "suspended") {
				// task.cancel'd (or otherwise ended) while queued: it can never use the permit.
				node.state = WaiterState.Failed;
				record.cancelled += 1;
				continue;
			}
			const leaseTtl = node.leaseTtl ?? this.defaultLeaseTtl;
			node.handle = this.grant(record, node.holderLabel, leaseTtl, clock());
			node.state = WaiterState.Granted;
			// Deferred, not spawned: a chain of waiters that release at once must not nest resumes.
			task.defer(node.thread);
		}
	}

	/** Ends a hold (release, expiry, ReleaseAll) and hands the permit on. */
	private freePermit(handle: PermitHandle) {
		handle.held = false;
		lockDeadlines.remove(handle);
		const record = handle.record;
		record.held -= 1;
		if (record.holders !== undefined) record.holders.delete(handle);
		else if (record.holder === handle) record.holder = undefined;
		this.handDown(record);
		this.settle(record);
	}

	/** Ends holds whose lease has run out but whose timer has not fired yet; true if any ended. */
	protected expireDue(record: KeyRecord, now: number) {
		let any = false;
		if (record.holders !== undefined) {
			// Copied first: expiring hands permits on, which adds to the set being walked.
			for (const handle of [...record.holders]) {
				const expiresAt = handle.expiresAt;
				if (expiresAt !== undefined && expiresAt <= now) {
					this.expireHandle(handle as PermitHandle);
					any = true;
				}
			}
		} else {
			const expiresAt = record.holder?.expiresAt;
			if (expiresAt !== undefined && expiresAt <= now) {
				this.expireHandle(record.holder as PermitHandle);
				any = true;
			}
		}
		return any;
	}

	/** @internal Lease end (timer or lazily noticed): the key frees itself, the handle goes stale. */
	public expireHandle(handle: PermitHandle) {
		if (!handle.held) return;
		handle.record.expired += 1;
		warn(
			`${this.name}: the lease of "${handle.key}" (token ${handle.token}) ran out after ` +
				`${seconds(clock() - handle.acquiredAt)}; the key is free again and that handle is stale`,
		);
		this.freePermit(handle);
	}

	/** @internal `handle.Release()`: frees the key only if this very acquisition still holds it. */
	public releaseHandle(handle: PermitHandle) {
		if (handle.held) {
			const expiresAt = handle.expiresAt;
			if (expiresAt === undefined || clock() < expiresAt) {
				this.freePermit(handle);
				return true;
			}
			this.expireHandle(handle);
		}
		const record = handle.record;
		if (this.records.get(handle.key) === record) record.staleReleases += 1;
		else this.retired.staleReleases += 1;
		const current = this.records.get(handle.key)?.holder;
		warn(
			`${this.name}: Release of "${handle.key}" by a stale handle (token ${handle.token}) ignored: it no ` +
				`longer holds the key (released, lease expired or ReleaseAll)` +
				(current !== undefined ? `; the key is now held by token ${current.token}` : ""),
		);
		return false;
	}

	/** @internal Waiter timeout from the deadline heap. */
	public timeOutWaiter(node: WaiterNode) {
		if (node.state !== WaiterState.Waiting) return;
		const record = node.record;
		unlink(record, node);
		record.timedOut += 1;
		const waited = clock() - node.startedAt;
		node.state = WaiterState.Failed;
		node.error = new GuardError(
			"Timeout",
			`${this.name}: gave up waiting for "${record.key}" after ${seconds(waited)}; it is still held`,
			{ key: record.key, waited, lockedAt: record.holder?.acquiredAt },
		);
		if (coroutine.status(node.thread) === "suspended") task.defer(node.thread);
		this.settle(record);
	}

	/** @internal Removes a queued waiter (promise cancelled); the thread is not resumed. */
	public cancelWaiter(node: WaiterNode, reason: string) {
		if (node.state !== WaiterState.Waiting) return;
		const record = node.record;
		unlink(record, node);
		lockDeadlines.remove(node);
		record.cancelled += 1;
		node.state = WaiterState.Failed;
		node.error = new GuardError(
			"Cancelled",
			`${this.name}: the wait for "${record.key}" was cancelled (${reason})`,
			{
				key: record.key,
				waited: clock() - node.startedAt,
			},
		);
		this.settle(record);
	}

	private alreadyRunning(record: KeyRecord, where: string, now: number) {
		const holder = this.oldestHolder(record);
		const lockedAt = holder?.acquiredAt;
		const heldFor = lockedAt !== undefined ? ` for ${seconds(now - lockedAt)}` : "";
		const what =
			this.permits > 1
				? `all ${this.permits} permits of "${record.key}" are taken`
				: `"${record.key}" is held by ${tostring(holder?.owner)} (token ${holder?.token})${heldFor}`;
		return new GuardError("AlreadyRunning", `${where}: ${what}`, {
			key: record.key,
			lockedAt,
			holder: holder?.owner,
			token: holder?.token,
		});
	}

	/** The holder that has held the key longest, if any. */
	protected oldestHolder(record: KeyRecord): LockHandle | undefined {
		if (record.holders === undefined) return record.holder;
		let oldest: LockHandle | undefined;
		for (const handle of record.holders) if (oldest === undefined || handle.token < oldest.token) oldest = handle;
		return oldest;
	}

	/** One non-yielding attempt; `key` is already checked. */
	protected tryOnce(key: string, owner: unknown, leaseTtl: number | undefined, where: string) {
		const record = this.recordFor(key);
		const now = clock();
		if (record.held >= this.permits && !(this.expireDue(record, now) && record.held < this.permits)) {
			record.contended += 1;
			return $tuple(undefined, this.alreadyRunning(record, where, now));
		}
		return $tuple(this.grant(record, owner, leaseTtl, now) as LockHandle, undefined);
	}

	/** Queues the caller for `record` (already found full) and yields until granted, timed out or cancelled. */
	protected waitInQueue(
		record: KeyRecord,
		timeout: number | undefined,
		owner: unknown,
		leaseTtl: number | undefined,
		now: number,
		slot: WaitSlot | undefined,
	): LuaTuple<[LockHandle | undefined, GuardError | undefined]> {
		const node = new WaiterNode(this, record, runningThread(), owner, leaseTtl, now);
		enqueue(record, node);
		if (timeout !== undefined) {
			node.deadline = now + timeout;
			lockDeadlines.push(node);
		}
		if (slot !== undefined) slot.node = node;
		// Loop: only the lock's own resume (after the state changed) may end the wait.
		while (node.state === WaiterState.Waiting) coroutine.yield();
		const handle = node.handle as PermitHandle | undefined;
		if (handle !== undefined && !handle.held) {
			// Granted, then taken back (ReleaseAll) before this thread resumed: report it, not a dead handle.
			const err = new GuardError(
				"Cancelled",
				`${this.name}: "${record.key}" was released by ReleaseAll before this waiter resumed`,
				{
					key: record.key,
					waited: clock() - now,
				},
			);
			return $tuple(undefined, err);
		}
		return $tuple(node.handle, node.error);
	}

	/** Ends every hold and fails every waiter with `Cancelled`; returns how many holds ended. */
	protected releaseEverything(): number {
		let ended = 0;
		for (const [, record] of this.records) {
			let node = record.head;
			record.head = undefined;
			record.tail = undefined;
			record.waiting = 0;
			while (node !== undefined) {
				const following = node.next;
				node.previous = undefined;
				node.next = undefined;
				lockDeadlines.remove(node);
				record.cancelled += 1;
				node.state = WaiterState.Failed;
				node.error = new GuardError(
					"Cancelled",
					`${this.name}: ReleaseAll cancelled the wait for "${record.key}"`,
					{
						key: record.key,
						waited: clock() - node.startedAt,
					},
				);
				if (coroutine.status(node.thread) === "suspended") task.defer(node.thread);
				node = following;
			}
			const holders = record.holders !== undefined ? [...record.holders] : record.holder ? [record.holder] : [];
			for (const handle of holders) {
				(handle as PermitHandle).held = false;
				lockDeadlines.remove(handle as PermitHandle);
				ended += 1;
			}
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
