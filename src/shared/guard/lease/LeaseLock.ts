// Past 300 lines: the lock's calls (TryAcquire, Acquire, the scoped ones) and the hold lifecycle
// they drive (grant, renew, lose, release) share the local holds and counters; splitting them would
// make that state public.
// Luau callers get `local handle, err = lock:TryAcquire(key)`, the two-value style of the seed API.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { checkFunction, checkKey, invalidArgument } from "../arguments/check";
import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";
import { captureTraceback, lastTraceback } from "../errors/traceback";
import { backoffDelay } from "../lock/backoff";
import { checkAcquireOptions, checkTryOptions, checkWithOptions } from "../lock/lockOptions";
import {
	AcquireOptions,
	KeyedLockOptions,
	LockInfo,
	RunWithLockResult,
	TryAcquireOptions,
	WithLockOptions,
} from "../lock/LockTypes";
import { retryWithBackoff } from "../lock/retryWithBackoff";
import {
	heldElsewhere,
	leaseLostWarning,
	leaseTimedOut,
	leaseWaitCancelled,
	staleLeaseReleaseWarning,
	storeFailed,
} from "./leaseErrors";
import { LeaseHold, LeaseHoldOwner } from "./LeaseHold";
import { checkLeaseLockOptions, checkLeaseTtl, checkStoreKey } from "./leaseOptions";
import { unixNow } from "./leaseRecord";
import { LeaseEventCallback, LeaseHandle, LeaseLostCallback, LeaseLostReason, LeaseRecord } from "./LeaseTypes";
import { MemoryStoreLeases } from "./MemoryStoreLeases";
import { isTransientStoreError } from "./storeRetry";

/** First wait of a polling `Acquire`, in seconds; doubles per poll. */
export const ACQUIRE_POLL_BASE_DELAY = 0.5;
/** Longest wait between two polls of `Acquire`, in seconds (request units: see the README). */
export const ACQUIRE_POLL_MAX_DELAY = 8;

/** The MemoryStore strategy's extra constructor options (on top of `KeyedLockOptions`). */
export interface LeaseLockOptions extends KeyedLockOptions {
	readonly onLockLost?: LeaseLostCallback;
	readonly onAcquired?: LeaseEventCallback;
	readonly onReleased?: LeaseEventCallback;
}

interface LeaseCounts {
	acquired: number;
	contended: number;
	timedOut: number;
	cancelled: number;
	lost: number;
	staleReleases: number;
	abandoned: number;
	/** Threads polling for the key now; a killed one (task.cancel, promise cancel) is dropped when counted. */
	waiting: Set<thread>;
}

function zeroCounts(): LeaseCounts {
	return {
		acquired: 0,
		contended: 0,
		timedOut: 0,
		cancelled: 0,
		lost: 0,
		staleReleases: 0,
		abandoned: 0,
		waiting: new Set(),
	};
}

function waitersOf(counts: LeaseCounts) {
	for (const thread of counts.waiting) {
		if (coroutine.status(thread) === "dead") counts.waiting.delete(thread);
	}
	return counts.waiting.size();
}

/** The `LockInfo` row of one key: its counters and its holder (a store record or this server's own hold). */
function lockInfoOf(
	key: string,
	counts: LeaseCounts,
	holder: { readonly owner: unknown; readonly token: number; readonly acquiredAt: number } | undefined,
): LockInfo {
	return {
		key,
		locked: holder !== undefined,
		permits: 1,
		held: holder !== undefined ? 1 : 0,
		holder: holder?.owner,
		holderToken: holder?.token,
		lockedAt: holder?.acquiredAt,
		waiters: waitersOf(counts),
		acquired: counts.acquired,
		contended: counts.contended,
		timedOut: counts.timedOut,
		cancelled: counts.cancelled,
		expired: counts.lost,
		staleReleases: counts.staleReleases,
		abandoned: counts.abandoned,
	};
}

/** Runs a game callback in a thread of its own; its error is warned, never thrown into the lock. */
function runCallback<A extends unknown[]>(name: string, callback: ((...args: A) => void) | undefined, ...args: A) {
	if (callback === undefined) return;
	task.spawn(() => {
		const [ok, err] = pcall(callback, ...args);
		if (!ok) warn(`${name}: a lease callback errored: ${tostring(err)}`);
	});
}

type Attempt = LuaTuple<[LeaseHold | undefined, GuardError | undefined]>;

/**
 * The `"MemoryStore"` strategy of `KeyedLock`: a lease per key in one MemoryStore HashMap, shared by
 * every server of the experience, with fencing tokens, renewal every `leaseTtl / 3` and
 * `onLockLost`. `KeyedLock` delegates every call to it; games use it through
 * `new KeyedLock({ strategy: "MemoryStore", ... })`. Every method may yield (store calls).
 *
 * @example
 * ```ts
 * const lock = new KeyedLock({ strategy: "MemoryStore", name: "SeasonJob", leaseTtl: 30 });
 * const [lease, err] = lock.TryAcquire("season_reset"); // one UpdateAsync
 * ```
 */
export class LeaseLock implements LeaseHoldOwner {
	/** The records' store. */
	public readonly leases: MemoryStoreLeases;
	private readonly holds = new Map<string, LeaseHold>();
	private readonly counts = new Map<string, LeaseCounts>();
	private readonly maxIdleKeys: number;
	private readonly prefix: string;
	private generation = 0;
	/** The holder the last failed attempt saw (read right after it, on the same thread). */
	private lastSeenHolder: LeaseRecord | undefined;

	/**
	 * @param name the lock's name: message prefix and the items' key prefix (`name/key`)
	 *
	 * @example
	 * ```ts
	 * const lease = new LeaseLock("KeyedLock.new", "SeasonJob", { strategy: "MemoryStore" });
	 * ```
	 */
	public constructor(
		where: string,
		public readonly name: string,
		private readonly options: LeaseLockOptions,
	) {
		checkLeaseLockOptions(where, options);
		this.leases = new MemoryStoreLeases({
			mapName: options.mapName,
			leaseTtl: options.leaseTtl,
			memoryStore: options.memoryStore,
			maxClockSkew: options.maxClockSkew,
			localMargin: options.localMargin,
			tokenRetention: options.tokenRetention,
			random: options.random,
		});
		this.maxIdleKeys = options.maxIdleKeys ?? 256;
		this.prefix = `${name}/`;
	}

	/** See `KeyedLock.TryAcquire`: one UpdateAsync; `AlreadyRunning` names the holder's JobId and since when. */
	public TryAcquire(key: string, options?: TryAcquireOptions): Attempt {
		const where = `${this.name}.TryAcquire`;
		checkKey(where, key);
		checkTryOptions(where, options, key);
		const [storeKey, ttl] = this.checked(where, key, options?.leaseTtl);
		const label = options?.owner !== undefined ? shorten(tostring(options.owner)) : undefined;
		if ((options?.retries ?? 0) === 0) return this.attempt(where, key, storeKey, ttl, label, undefined);
		let lastError: GuardError | undefined;
		const hold = retryWithBackoff({ random: this.options.random, ...options }, () => {
			const [granted, err] = this.attempt(where, key, storeKey, ttl, label, undefined);
			lastError = err;
			return granted;
		});
		return $tuple(hold, hold === undefined ? lastError : undefined);
	}

	/**
	 * See `KeyedLock.Acquire`: across servers there is no queue, so it polls with exponential backoff
	 * and jitter (`ACQUIRE_POLL_BASE_DELAY` doubling to `ACQUIRE_POLL_MAX_DELAY`), each poll one
	 * GetAsync, and an UpdateAsync only when the key looks free. `Timeout` after `timeout` seconds
	 * (undefined: until granted), `Cancelled` when `ReleaseAll` runs meanwhile, `Reentrant` when this
	 * thread already holds the key and no timeout would end the wait.
	 */
	public Acquire(key: string, options?: AcquireOptions, bound?: thread): Attempt {
		const where = `${this.name}.Acquire`;
		checkKey(where, key);
		checkAcquireOptions(where, options, key);
		return this.poll(where, key, options, bound);
	}

	/** See `KeyedLock.WithLock`: fn runs holding the lease, bound to this thread; always released. */
	public WithLock<T>(key: string, fn: (handle: LeaseHandle) => T, options?: WithLockOptions): T {
		const [hold, err] = this.acquireScoped(`${this.name}.WithLock`, key, fn, options);
		if (hold === undefined) throw err;
		const [ok, value] = xpcall(fn, captureTraceback, hold);
		const stillHeld = hold.IsValid();
		hold.Release();
		if (!ok) error(value, 0);
		if (!stillHeld) throw this.lockLost(hold, value);
		return value as T;
	}

	/** See `KeyedLock.RunWithLock`: `{ acquired, result, error }` instead of throwing. */
	public RunWithLock<T>(
		key: string,
		fn: (handle: LeaseHandle) => T,
		options?: WithLockOptions,
	): RunWithLockResult<T> {
		const [hold, err] = this.acquireScoped(`${this.name}.RunWithLock`, key, fn, options);
		if (hold === undefined) return { acquired: false, error: err };
		const [ok, value] = xpcall(fn, captureTraceback, hold);
		const stillHeld = hold.IsValid();
		hold.Release();
		if (!ok) return { acquired: true, error: value, traceback: lastTraceback() };
		if (!stillHeld) return { acquired: true, result: value as T, error: this.lockLost(hold, value) };
		return { acquired: true, result: value as T };
	}

	/** True when some server holds `key` now: this server's own hold answers at once, else one GetAsync. */
	public IsLocked(key: string): boolean {
		const where = `${this.name}.IsLocked`;
		checkKey(where, key);
		const [storeKey] = this.checked(where, key, undefined);
		if (this.validHold(key) !== undefined) return true;
		return this.leases.Peek(storeKey) !== undefined;
	}

	/** The record of whoever holds `key` (one GetAsync unless this server holds it), or undefined. */
	public GetHolderRecord(key: string): LeaseRecord | undefined {
		const where = `${this.name}.GetHolderRecord`;
		checkKey(where, key);
		const [storeKey] = this.checked(where, key, undefined);
		return this.validHold(key)?.record ?? this.leases.Peek(storeKey);
	}

	/** This server's hold of `key`, if it has one. Never yields. */
	public GetHolder(key: string): LeaseHandle | undefined {
		checkKey(`${this.name}.GetHolder`, key);
		return this.validHold(key);
	}

	/** See `KeyedLock.GetInfo`: `lockedAt` is the holder's Unix time here (another server's clock). */
	public GetInfo(key: string): LockInfo {
		return lockInfoOf(key, this.counts.get(key) ?? zeroCounts(), this.GetHolderRecord(key));
	}

	/** Every key this server has counters for (no store calls: holders are this server's own, `lockedAt` its `os.clock()`). */
	public GetAllInfo(): Array<LockInfo> {
		const infos = new Array<LockInfo>();
		for (const [key, counts] of this.counts) infos.push(lockInfoOf(key, counts, this.validHold(key)));
		return infos;
	}

	/**
	 * Releases every lease this server holds, in parallel (one UpdateAsync each), and cancels every
	 * polling `Acquire`; waits for the releases. Returns how many leases it released. For BindToClose.
	 */
	public ReleaseAll(): number {
		this.generation += 1;
		const holds = new Array<LeaseHold>();
		for (const [, hold] of this.holds) holds.push(hold);
		let pending = holds.size();
		let released = 0;
		const waiting = coroutine.running();
		for (const hold of holds) {
			task.spawn(() => {
				if (hold.state === "held" && this.releaseHold(hold)) released += 1;
				pending -= 1;
				if (pending === 0 && coroutine.status(waiting) === "suspended") task.spawn(waiting);
			});
		}
		if (pending > 0) coroutine.yield();
		return released;
	}

	// --- the hold lifecycle (LeaseHoldOwner) ---

	/** @internal */
	public releaseHold(hold: LeaseHold): boolean {
		const wasHeld = hold.state === "held";
		if (hold.state === "released") return this.staleRelease(hold);
		hold.state = "released";
		hold.stopTimers();
		if (this.holds.get(hold.key) === hold) this.holds.delete(hold.key);
		const [ok, ours] = this.leases.release(hold.storeKey, hold.owner);
		if (!ok) {
			warn(`${this.name}: releasing "${hold.key}" failed (${tostring(ours)}); it frees itself at its expiry`);
			return wasHeld;
		}
		if (!ours || !wasHeld) return this.staleRelease(hold);
		runCallback(this.name, this.options.onReleased, hold.key, hold);
		return true;
	}

	/** @internal */
	public renewHold(hold: LeaseHold) {
		const sentAt = os.clock();
		const outcome = this.leases.renew(hold.storeKey, hold.owner, hold.ttl, hold.expiresAt - hold.localMargin);
		if (hold.state !== "held") return;
		if (outcome.renewed !== undefined) return hold.renewed(outcome.renewed, sentAt);
		this.loseHold(hold, outcome.lost ?? "RenewalFailed");
	}

	/** @internal */
	public loseHold(hold: LeaseHold, reason: LeaseLostReason) {
		if (hold.state !== "held") return;
		hold.state = "lost";
		hold.stopTimers();
		if (this.holds.get(hold.key) === hold) this.holds.delete(hold.key);
		this.countsOf(hold.key).lost += 1;
		warn(leaseLostWarning(this.name, hold, reason));
		runCallback(this.name, this.options.onLockLost, hold.key, hold as LeaseHandle, reason);
	}

	/** @internal */
	public abandonHold(hold: LeaseHold) {
		this.countsOf(hold.key).abandoned += 1;
		warn(`${this.name}: "${hold.key}" (token ${hold.token}) released: the thread holding it in WithLock died`);
		this.releaseHold(hold);
	}

	// --- internals ---

	private checked(where: string, key: string, leaseTtl: number | undefined): [string, number] {
		const ttl = leaseTtl ?? this.leases.leaseTtl;
		if (leaseTtl !== undefined) checkLeaseTtl(where, "options.leaseTtl", leaseTtl, key);
		if (this.leases.localMargin >= ttl / 3) {
			const least = this.leases.localMargin * 3;
			invalidArgument(where, "options.leaseTtl", ttl, `more than 3 × the lock's localMargin (${least} s)`, key);
		}
		const storeKey = this.prefix + key;
		checkStoreKey(where, storeKey, key);
		return [storeKey, ttl];
	}

	private validHold(key: string) {
		const hold = this.holds.get(key);
		return hold !== undefined && hold.IsValid() ? hold : undefined;
	}

	private countsOf(key: string) {
		let counts = this.counts.get(key);
		if (counts === undefined) {
			if (this.counts.size() >= this.maxIdleKeys) this.dropIdleCounts();
			counts = zeroCounts();
			this.counts.set(key, counts);
		}
		return counts;
	}

	private dropIdleCounts() {
		for (const [key, counts] of this.counts) {
			if (!this.holds.has(key) && waitersOf(counts) === 0) {
				this.counts.delete(key);
				return;
			}
		}
	}

	/** One try: the local hold answers without a store call; otherwise ONE UpdateAsync. */
	private attempt(
		where: string,
		key: string,
		storeKey: string,
		ttl: number,
		label: string | undefined,
		deadline: number | undefined,
	): Attempt {
		const own = this.validHold(key);
		const counts = this.countsOf(key);
		if (own !== undefined) {
			counts.contended += 1;
			this.lastSeenHolder = own.record;
			return $tuple(undefined, heldElsewhere(where, key, own.record, unixNow()));
		}
		const owner = this.leases.newOwner();
		const sentAt = os.clock();
		const outcome = this.leases.take(
			storeKey,
			{ owner, jobId: this.leases.jobId, ttl, maxClockSkew: this.leases.maxClockSkew, label },
			deadline,
		);
		if (outcome.failure !== undefined)
			return $tuple(undefined, storeFailed(where, key, "acquire", outcome.failure));
		if (outcome.heldBy !== undefined) {
			counts.contended += 1;
			this.lastSeenHolder = outcome.heldBy;
			return $tuple(undefined, heldElsewhere(where, key, outcome.heldBy, unixNow()));
		}
		const hold = new LeaseHold(
			this,
			key,
			storeKey,
			outcome.granted!,
			sentAt,
			ttl,
			this.leases.localMargin,
			coroutine.running(),
		);
		const previous = this.holds.get(key);
		if (previous !== undefined && previous !== hold) previous.stopTimers();
		this.holds.set(key, hold);
		counts.acquired += 1;
		runCallback(this.name, this.options.onAcquired, key, hold as LeaseHandle);
		return $tuple(hold, undefined);
	}

	private poll(where: string, key: string, options: AcquireOptions | undefined, bound: thread | undefined): Attempt {
		const [storeKey, ttl] = this.checked(where, key, options?.leaseTtl);
		const label = options?.owner !== undefined ? shorten(tostring(options.owner)) : undefined;
		const own = this.validHold(key);
		if (own !== undefined && own.thread === coroutine.running() && options?.timeout === undefined) {
			return $tuple(
				undefined,
				new GuardError(
					"Reentrant",
					`${where}: this thread already holds "${key}" (token ${own.token}); waiting for it would never end`,
					{ key, token: own.token },
				),
			);
		}
		const startedAt = os.clock();
		const deadline = options?.timeout !== undefined ? startedAt + options.timeout : undefined;
		const generation = this.generation;
		const counts = this.countsOf(key);
		let lastHolder: LeaseRecord | undefined;
		let looksFree = true;
		for (let poll = 1; ; poll++) {
			if (looksFree) {
				const [hold, err] = this.attempt(where, key, storeKey, ttl, label, deadline);
				if (hold !== undefined) {
					hold.bound = bound;
					return $tuple(hold, undefined);
				}
				if (err!.kind === "AlreadyRunning") lastHolder = this.lastSeenHolder;
				else if (!isTransientStoreError(err!.details.cause)) return $tuple(undefined, err);
			}
			const now = os.clock();
			if (deadline !== undefined && now >= deadline) {
				counts.timedOut += 1;
				return $tuple(undefined, leaseTimedOut(where, key, now - startedAt, lastHolder, unixNow()));
			}
			let delay = backoffDelay(poll, ACQUIRE_POLL_BASE_DELAY, ACQUIRE_POLL_MAX_DELAY, this.options.random);
			if (deadline !== undefined) delay = math.min(delay, deadline - now);
			counts.waiting.add(coroutine.running());
			task.wait(delay);
			counts.waiting.delete(coroutine.running());
			if (this.generation !== generation) {
				counts.cancelled += 1;
				return $tuple(undefined, leaseWaitCancelled(where, key, "ReleaseAll ended it", os.clock() - startedAt));
			}
			// One GetAsync per poll while someone holds it; the UpdateAsync only when it looks free.
			if (this.validHold(key) !== undefined) {
				looksFree = false;
				continue;
			}
			const [ok, record] = pcall(() => this.leases.Peek(storeKey));
			looksFree = !ok || record === undefined;
			if (ok && record !== undefined) lastHolder = record;
		}
	}

	private acquireScoped(where: string, key: string, fn: unknown, options: WithLockOptions | undefined): Attempt {
		checkKey(where, key);
		checkFunction(where, "fn", fn, key);
		const polls = checkWithOptions(where, options, key);
		if (polls) {
			const [hold, err] = this.TryAcquire(key, options);
			if (hold !== undefined) (hold as LeaseHold).bound = coroutine.running();
			return $tuple(hold as LeaseHold | undefined, err);
		}
		return this.poll(where, key, options, coroutine.running());
	}

	private lockLost(hold: LeaseHold, result: unknown) {
		return new GuardError(
			"LockLost",
			`"${hold.key}" (token ${hold.token}) stopped being held while fn ran (lease lost or ReleaseAll); ` +
				`another server may have run at the same time`,
			{ key: hold.key, token: hold.token, result },
		);
	}

	private staleRelease(hold: LeaseHold) {
		this.countsOf(hold.key).staleReleases += 1;
		warn(staleLeaseReleaseWarning(this.name, hold));
		return false;
	}
}
