// Past 300 lines because the hot paths (takeKnownFree, plainTryAcquire, releaseUnleased, the handles' methods at the
// end) sit beside the private state they change: elsewhere that state would have to be public.
// Acquire's first step answers `(handle, refusal, node)` to its caller in acquire.ts.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { GuardError } from "../errors/GuardError";
import { DeadHolderWatch } from "./DeadHolderWatch";
import { KeyRecord, LockCounts, addCounts, newKeyRecord, oldestHolder, zeroCounts } from "./KeyRecord";
import { holdEndedWarning, reentrant, seconds, staleReleaseWarning, waitTimedOut } from "./lockErrors";
import { AcquireOptions, LockHandle, TryAcquireOptions } from "./LockTypes";
import { lockDeadlines } from "./lockDeadlines";
import { PermitHandle, checkHandle, leasedMetatable, newPermitHandle, unleasedMetatable } from "./PermitHandle";
import { PermitQueue, WaiterNode } from "./PermitQueue";

/**
 * The in-memory state machine a `KeyedLock` (1 permit per key) or a `Semaphore` (N) owns: per-key
 * records, grants and releases, leases on the shared deadline heap, fencing tokens, idle-key
 * accounting, counters. Its {@link PermitQueue} owns the waiters (FIFO, handed a freed permit
 * directly). It checks no input: its owner does, before calling.
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
/** A lock's TryAcquire as its instance holds it: called as `lock:TryAcquire(...)`, `caller` is `self`. */
export type TryAcquireCall = (
	caller: unknown,
	key: string,
	options?: TryAcquireOptions,
) => LuaTuple<[LockHandle | undefined, GuardError | undefined]>;

export class PermitEngine {
	public readonly records = new Map<string, KeyRecord>();
	/** Counters of keys no longer tracked (dropped idle keys, ReleaseAll). */
	public readonly retired: LockCounts = zeroCounts();
	/** The last fencing token handed out. */
	private lastToken = 0;
	private readonly deadHolders = new DeadHolderWatch((handle) => this.abandon(handle));
	private readonly queue = new PermitQueue(this);
	/**
	 * How many more records may be kept once idle: maxIdleKeys minus the kept ones. A record keeps its
	 * place from the first time it is kept until ReleaseAll, also while it is held again, so using a
	 * kept key again and again touches no count: native -O2 uncontended TryAcquire + Release, 3,428 ->
	 * 3,021 machine instructions per pair (an exact idle count changed on every acquire and release).
	 */
	private idleRoom: number;
	/** One permit per key and no default lease: TryAcquire's hot path builds the handle itself. */
	private readonly plain: boolean;

	public constructor(
		public readonly permits: number,
		public readonly defaultLeaseTtl: number | undefined,
		private readonly maxIdleKeys: number,
		/** The lock's name as messages show it (already shortened). */
		public readonly name: string,
	) {
		this.idleRoom = maxIdleKeys;
		this.plain = permits === 1 && defaultLeaseTtl === undefined;
	}

	/** The record of `key`, created or woken from idle, for an acquisition. */
	public recordFor(key: string) {
		let record = this.records.get(key);
		if (record === undefined) {
			record = newKeyRecord(key, this, this.permits > 1);
			this.records.set(key, record);
		}
		return record;
	}

	/**
	 * The hot path of TryAcquire, Acquire and WithLock: grants `key` with the default lease if the key
	 * has a record (so it was checked when the record was made) and a free permit; undefined otherwise,
	 * and the caller takes the checked path. The owner is the calling thread, or `bound` (a WithLock's
	 * thread), to which the hold is then bound. Static, and called as `PermitEngine.takeKnownFree(engine, key)`:
	 * a plain call instead of a method lookup on the engine. With the one-call Release below, `plain`
	 * and `idleRoom`: native -O2 uncontended TryAcquire + Release 1.91× → 1.59× its floor
	 * (bench/lock.bench.luau; 4,705 → 3,960 machine instructions per pair under callgrind).
	 */
	public static takeKnownFree(
		this: void,
		engine: PermitEngine,
		key: string,
		bound: thread | undefined,
	): PermitHandle | undefined {
		const record = engine.records.get(key);
		if (record === undefined || record.held >= engine.permits) return undefined;
		const owner = bound ?? coroutine.running();
		if (!engine.plain) return engine.grant(record, owner, engine.defaultLeaseTtl, os.clock(), bound);
		// grant() written out for a free single-holder key without a lease: nothing to schedule.
		const token = engine.lastToken + 1;
		engine.lastToken = token;
		const fields = { key, token, acquiredAt: os.clock(), owner, record, held: true };
		const handle = setmetatable(fields, unleasedMetatable as never) as unknown as PermitHandle;
		record.held = 1;
		record.holder = handle;
		record.acquired += 1;
		// bind() written out: the key was free, so nobody waits and no other holder is bound.
		if (bound !== undefined) {
			handle.bound = bound;
			record.bound = 1;
		}
		return handle;
	}

	/**
	 * A KeyedLock's TryAcquire for an in-memory lock without a default lease, as the lock stores it on
	 * its instance: `lock:TryAcquire(key)` of a known free key is then one closure call over upvalues
	 * (the engine and its record map), with {@link takeKnownFree}'s grant written out. Any other call
	 * (options, a new or held key, a `self` that is not `lock`) goes to `otherCall`.
	 *
	 * @example
	 * ```ts
	 * rawset(this, "TryAcquire", PermitEngine.plainTryAcquire(engine, this, (caller, key, options) => ...));
	 * ```
	 */
	public static plainTryAcquire(this: void, engine: PermitEngine, lock: object, otherCall: TryAcquireCall) {
		const records = engine.records;
		const tryAcquire: TryAcquireCall = (caller, key, options) => {
			if (caller === lock && options === undefined) {
				const record = records.get(key);
				if (record !== undefined && record.held === 0) {
					const token = engine.lastToken + 1;
					engine.lastToken = token;
					const fields = {
						key,
						token,
						acquiredAt: os.clock(),
						owner: coroutine.running(),
						record,
						held: true,
					};
					const handle = setmetatable(fields, unleasedMetatable as never) as unknown as PermitHandle;
					record.held = 1;
					record.holder = handle;
					record.acquired += 1;
					return $tuple(handle, undefined);
				}
			}
			return otherCall(caller, key, options);
		};
		return tryAcquire;
	}

	/**
	 * `handle:Release()` of an unleased handle, installed as that method itself (below), so a release
	 * is one call, not the handle's method calling the engine's (part of the figure at takeKnownFree).
	 */
	public static releaseUnleased(this: void, handle: PermitHandle): boolean {
		if (getmetatable(handle) !== unleasedMetatable) checkHandle(handle, "Release");
		const record = handle.record;
		// The common case: a single-holder key nobody waits for, room to keep the idle record. For such
		// a key `record.holder === handle` holds exactly while this handle holds it, so a stale handle
		// never gets past it; a bound holder (WithLock) can only be this one.
		if (record.holder === handle && record.waiting === 0) {
			// A kept record (the common case: a key used again and again) needs no idle accounting.
			let kept = record.kept;
			if (!kept) {
				const engine = record.engine;
				const room = engine.idleRoom;
				kept = room > 0;
				if (kept) {
					record.kept = true;
					engine.idleRoom = room - 1;
				}
			}
			if (kept) {
				if (record.bound !== 0) {
					// unbind() written out
					handle.bound = undefined;
					record.bound = 0;
				}
				handle.held = false;
				record.held = 0;
				record.holder = undefined;
				return true;
			}
		}
		return record.engine.release(handle);
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

	/** `handle.Release()` of an unleased handle past the common case of `releaseUnleased`. */
	public release(handle: PermitHandle) {
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
		this.queue.handDown(record);
		this.settle(record);
	}

	/** Keeps an unused record for its counters, or drops it when too many idle keys are kept. */
	public settle(record: KeyRecord) {
		if (record.held > 0 || record.waiting > 0 || record.kept) return;
		if (this.records.get(record.key) !== record) return;
		if (this.idleRoom > 0) {
			record.kept = true;
			this.idleRoom -= 1;
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

	/**
	 * Acquire's first step: a grant now, a refusal (full with `timeout` 0, or a wait that would never
	 * end because the caller holds the key itself), or a queued node whose state the caller waits on.
	 */
	public takeOrQueue(
		where: string,
		key: string,
		thread: thread,
		owner: unknown,
		options: AcquireOptions | undefined,
		scoped: boolean,
	): LuaTuple<[PermitHandle | undefined, GuardError | undefined, WaiterNode | undefined]> {
		const record = this.recordFor(key);
		const now = os.clock();
		if (record.held < this.permits || this.makeRoom(record, now)) {
			const leaseTtl = options?.leaseTtl ?? this.defaultLeaseTtl;
			return $tuple(this.grant(record, owner, leaseTtl, now, scoped ? thread : undefined), undefined, undefined);
		}
		record.contended += 1;
		const timeout = options?.timeout;
		if (timeout === 0) {
			record.timedOut += 1;
			return $tuple(undefined, waitTimedOut(where, key, 0, oldestHolder(record)?.acquiredAt), undefined);
		}
		const holder = record.holder;
		const ownHold = holder !== undefined && (holder.owner === thread || holder.bound === thread);
		if (ownHold && timeout === undefined && holder.expiresAt === undefined) {
			// The caller holds the key itself, with no lease and no timeout: waiting would never end.
			return $tuple(undefined, reentrant(where, key, holder), undefined);
		}
		const node = this.queue.enqueue(record, thread, owner, options?.leaseTtl, timeout, now, scoped);
		this.deadHolders.watch(record);
		return $tuple(undefined, undefined, node);
	}

	/** Removes a queued waiter (promise cancelled); the thread is not resumed (the promise closes it). */
	public cancelWaiter(node: WaiterNode, why: string) {
		this.queue.cancel(node, why);
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
			this.queue.cancelAll(record);
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
		this.idleRoom = this.maxIdleKeys;
		return ended;
	}
}

// The handles' methods change the engine's state, so they are written here, in the metatables
// PermitHandle.ts makes. Unleased and leased handles get different metatables, so the unleased
// `Release` never asks about a lease: `expiresAt` is absent from an unleased handle, and reading an
// absent field costs a metatable lookup.
unleasedMetatable.__index = {
	Release: PermitEngine.releaseUnleased,
	IsValid(this: PermitHandle) {
		if (getmetatable(this) !== unleasedMetatable) checkHandle(this, "IsValid");
		return this.held;
	},
};

leasedMetatable.__index = {
	Release(this: PermitHandle) {
		if (getmetatable(this) !== leasedMetatable) checkHandle(this, "Release");
		return this.record.engine.releaseLeased(this);
	},
	IsValid(this: PermitHandle) {
		if (getmetatable(this) !== leasedMetatable) checkHandle(this, "IsValid");
		return this.held && os.clock() < this.expiresAt!;
	},
	onDeadline(this: PermitHandle) {
		this.record.engine.expire(this);
	},
};
