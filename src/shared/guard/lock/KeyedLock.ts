// Past 300 lines on purpose: the whole public surface of the lock (its members, each with its doc comment
// and Luau example) and its two strategies' dispatch; the work itself is in PermitEngine, acquire.ts and LeaseLock.
// Luau callers get `local handle, err = lock:TryAcquire(key)`, the two-value style of the seed API.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { checkKey, checkSelf } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
import { LeaseLock } from "../lease/LeaseLock";
import { acquire, acquireAsync, tryAcquire } from "./acquire";
import { methodLabels, shownLockName } from "./lockErrors";
import { DEFAULT_MAX_IDLE_KEYS, checkConstructorOptions } from "./lockOptions";
import { allInfoOf, formatLockSummary, infoOf } from "./lockSummary";
import {
	AcquireOptions,
	KeyedLockOptions,
	Lock,
	LockHandle,
	LockInfo,
	RunWithLockResult,
	TryAcquireOptions,
	WithLockOptions,
} from "./LockTypes";
import { PermitEngine, TryAcquireCall } from "./PermitEngine";
import { runWithLock, withLock } from "./scoped";

// A local: one table read less per acquisition than `PermitEngine.takeKnownFree(...)`.
const takeKnownFree = PermitEngine.takeKnownFree;

function checkLock(value: unknown, method: string, colonForm: string) {
	checkSelf(value, KeyedLock, "KeyedLock", method, colonForm);
}

/**
 * A mutex per key inside one server: at most one holder per key, fail fast (`TryAcquire`) or wait
 * in a FIFO queue (`Acquire`), scoped use (`WithLock`, `RunWithLock`), leases, fencing tokens and
 * contention counters. Implements {@link Lock}, the interface a cross-server MemoryStore lease will
 * implement too. It owns a {@link PermitEngine} with one permit per key, which does the bookkeeping.
 *
 * Rules at the edges (the lock folder's README states them in full):
 * - a released key goes straight to the first live waiter (no polling); waiters that time out or are
 *   cancelled leave the queue at once, so `IsLocked` and `GetInfo(key).waiters` stay exact;
 * - a key never stays with a thread that can no longer run: a waiter killed after the key was
 *   handed to it, and a `WithLock`/`RunWithLock` whose thread is killed inside fn, give the key
 *   back (counted `abandoned`). A handle from `TryAcquire`/`Acquire` is a value that may outlive
 *   its thread: it holds until `Release()`, its lease or `ReleaseAll`;
 * - every acquisition gets a larger `token`; a handle whose hold ended without it (lease expired,
 *   thread died, `ForceRelease`, `ReleaseAll`) cannot free anyone else's hold (`Release()` returns
 *   false and warns);
 * - bad input, and a Luau call with `.` instead of `:`, throw a `GuardError` of kind
 *   `InvalidArgument` and change nothing.
 *
 * @example
 * ```ts
 * const locks = new KeyedLock({ leaseTtl: 30 });
 * const [handle, err] = locks.TryAcquire(`trade_${userId}`);
 * if (!handle) return warn(err); // AlreadyRunning: "trade_42" is held by ...
 * try { doTrade(); } finally { handle.Release(); }
 * ```
 */
export class KeyedLock implements Lock {
	private readonly engine: PermitEngine;
	private readonly labels: ReturnType<typeof methodLabels>;
	/**
	 * The `"MemoryStore"` strategy (lease/LeaseLock.ts), when chosen: every call goes to it. The
	 * engine then never gets a record, so the in-memory fast paths below find none and fall through
	 * to this one field check — the `"Memory"` hot path is unchanged.
	 */
	private readonly lease: LeaseLock | undefined;

	/**
	 * @param options `strategy` (`"Memory"` or `"MemoryStore"`), default `leaseTtl`, `maxIdleKeys`,
	 * `name`; with `"MemoryStore"` also `onLockLost`, `onAcquired`, `onReleased`, `memoryStore`,
	 * `mapName`, `maxClockSkew`, `localMargin`, `tokenRetention`, `random` (lease/README.md)
	 *
	 * @example
	 * ```ts
	 * const locks = new KeyedLock({ strategy: "Memory", leaseTtl: 60, name: "TradeLocks" });
	 * const season = new KeyedLock({ strategy: "MemoryStore", name: "SeasonJob", leaseTtl: 30,
	 * 	onLockLost: (key, lease, reason) => warn(`lost ${key} (token ${lease.token}): ${reason}`) });
	 * ```
	 */
	public constructor(options?: KeyedLockOptions) {
		checkConstructorOptions("KeyedLock.new", options, ["Memory", "MemoryStore"]);
		const name = shownLockName(options?.name, "KeyedLock");
		const crossServer = options?.strategy === "MemoryStore";
		this.lease = crossServer ? new LeaseLock("KeyedLock.new", options?.name ?? "KeyedLock", options!) : undefined;
		this.engine = new PermitEngine(
			1,
			crossServer ? undefined : options?.leaseTtl,
			options?.maxIdleKeys ?? DEFAULT_MAX_IDLE_KEYS,
			name,
		);
		this.labels = methodLabels(name);
		if (!crossServer && options?.leaseTtl === undefined) {
			// TryAcquire on the instance, a closure over the engine (PermitEngine.plainTryAcquire): native
			// -O2 uncontended TryAcquire + Release went from 1.51x its floor to 1.35x (with the kept-record idle
			// accounting in PermitEngine, 1.18-1.19x; 3,958 -> 3,021 machine instructions per pair, floor 2,540).
			const engine = this.engine;
			const label = this.labels.TryAcquire;
			const otherCall: TryAcquireCall = (caller, key, options) => {
				if (caller !== this) {
					// A Luau `lock.TryAcquire(key)`, or another lock's TryAcquire given this one as self.
					checkLock(caller, "TryAcquire", "lock:TryAcquire(key)");
					return (caller as KeyedLock).TryAcquire(key, options);
				}
				return tryAcquire(engine, label, key, options, undefined);
			};
			rawset(this, "TryAcquire", PermitEngine.plainTryAcquire(engine, this, otherCall));
		}
	}

	/**
	 * Takes `key` now, or fails fast: returns `(handle, nil)` or `(nil, AlreadyRunning error)` with
	 * `details.key`, `details.lockedAt` and `details.holder`. With `retries` it tries again after
	 * exponentially growing, jittered waits (yielding) — polling-with-backoff for callers that prefer
	 * it to the FIFO queue of `Acquire`. Throws `InvalidArgument` on bad input (nothing changes).
	 *
	 * @example
	 * ```ts
	 * const [handle, err] = lock.TryAcquire("daily_reward_42");
	 * if (!handle) return warn(err); // AlreadyRunning: "daily_reward_42" is held by ...
	 * try { grant(); } finally { handle.Release(); }
	 * // polling: 1 try + 3 retries after ~0.1, ~0.2, ~0.4 s
	 * lock.TryAcquire("import", { retries: 3, baseDelay: 0.1, random: new Random(1) });
	 * ```
	 */
	public TryAcquire(
		key: string,
		options?: TryAcquireOptions,
	): LuaTuple<[LockHandle | undefined, GuardError | undefined]> {
		// Inline compare first: the uncontended acquire is the lock's hot path.
		if ((getmetatable(this) as unknown) !== KeyedLock) checkLock(this, "TryAcquire", "lock:TryAcquire(key)");
		if (options === undefined) {
			const handle = takeKnownFree(this.engine, key, undefined);
			if (handle !== undefined) return $tuple(handle, undefined);
		}
		if (this.lease !== undefined) return this.lease.TryAcquire(key, options);
		return tryAcquire(this.engine, this.labels.TryAcquire, key, options, undefined);
	}

	/**
	 * Takes `key`, waiting in a FIFO queue if it is held: the releaser hands the key straight to the
	 * first waiter (no polling). Yields. Returns `(handle, nil)`, or `(nil, Timeout)` after `timeout`
	 * seconds (`details.waited`), or `(nil, Cancelled)` if `ReleaseAll` ran while waiting, or at once
	 * `(nil, Reentrant)` if the calling thread itself holds the key and neither a lease nor a timeout
	 * would ever end the wait (a self-deadlock). A waiter that gives up leaves the queue at once; the
	 * holder is not affected. A thread killed with `task.cancel` while queued, or after the key was
	 * handed to it but before it resumed, never keeps the key: it goes to the next waiter.
	 *
	 * @example
	 * ```ts
	 * const [handle, err] = lock.Acquire("bank_7", { timeout: 5, leaseTtl: 30 });
	 * if (!handle) return warn(err); // Timeout: gave up waiting for "bank_7" after 5.00 s
	 * ```
	 */
	public Acquire(key: string, options?: AcquireOptions): LuaTuple<[LockHandle | undefined, GuardError | undefined]> {
		if ((getmetatable(this) as unknown) !== KeyedLock) checkLock(this, "Acquire", "lock:Acquire(key, options)");
		if (options === undefined) {
			// A free key is granted as TryAcquire grants it (same owner, lease and counters): native -O2
			// uncontended Acquire + Release 3.0-3.4× → 1.5× the TryAcquire floor (bench/baselines/lockFloor).
			const handle = takeKnownFree(this.engine, key, undefined);
			if (handle !== undefined) return $tuple(handle, undefined);
		}
		if (this.lease !== undefined) return this.lease.Acquire(key, options);
		return acquire(this.engine, this.labels.Acquire, key, options, undefined, false);
	}

	/**
	 * `Acquire` as a roblox-ts Promise: resolves with the handle, rejects with the `Timeout` /
	 * `Cancelled` GuardError. `promise.cancel()` removes the waiter from the queue at once (it never
	 * gets the key); cancelling after the grant releases the key.
	 *
	 * @example
	 * ```ts
	 * const pending = lock.AcquireAsync("trade_9", { timeout: 10 });
	 * pending.then((handle) => { swap(); handle.Release(); });
	 * pending.cancel(); // player left: stop waiting
	 * ```
	 */
	public AcquireAsync(key: string, options?: AcquireOptions): Promise<LockHandle> {
		checkLock(this, "AcquireAsync", "lock:AcquireAsync(key, options)");
		const lease = this.lease;
		if (lease !== undefined) {
			// promise.cancel() closes the polling thread (Promise.lua): it stops polling and holds nothing
			// (an acquiring call in flight that lands leaves an item nobody renews: it expires after the TTL).
			return new Promise<LockHandle>((resolve, reject) => {
				const [handle, err] = lease.Acquire(key, options);
				if (handle !== undefined) resolve(handle);
				else reject(err);
			});
		}
		return acquireAsync(this.engine, this.labels.AcquireAsync, key, options);
	}

	/**
	 * Runs `fn(handle)` holding `key` and always releases it — also when fn throws, in which case the
	 * original error value is rethrown unchanged (string errors keep their position prefix). Waits in
	 * the queue (up to `timeout`, default: until granted), or polls with backoff when `retries` is set.
	 * The hold is bound to the calling thread: if that thread is killed inside fn (task.cancel), the
	 * key passes on. Throws the GuardError of a failed acquisition (`AlreadyRunning`, `Timeout`,
	 * `Cancelled`), and `LockLost` (with `details.result`) if fn returned after its lease ran out.
	 *
	 * @example
	 * ```ts
	 * const coins = lock.WithLock(`wallet_${userId}`, () => addCoins(userId, 50), { timeout: 5, leaseTtl: 30 });
	 * ```
	 */
	public WithLock<T>(key: string, fn: (handle: LockHandle) => T, options?: WithLockOptions): T {
		if ((getmetatable(this) as unknown) !== KeyedLock)
			checkLock(this, "WithLock", "lock:WithLock(key, fn, options)");
		if (this.lease !== undefined) return this.lease.WithLock(key, fn, options);
		return withLock(this.engine, this.labels.WithLock, key, fn, options);
	}

	/**
	 * Like `WithLock`, but reports instead of throwing (seed 002's `runImportWithLock`):
	 * `{ acquired: false, error }` when the key could not be taken, `{ acquired: true, result }` when
	 * fn returned, `{ acquired: true, error, traceback }` when fn threw. The key is always released.
	 * Bad input still throws `InvalidArgument`.
	 *
	 * @example
	 * ```ts
	 * const outcome = lock.RunWithLock("customer-import", () => importCustomers(), { retries: 3 });
	 * if (!outcome.acquired) print("import already running:", outcome.error);
	 * else if (outcome.error !== undefined) warn("import failed:", outcome.error, outcome.traceback);
	 * else print("imported", outcome.result);
	 * ```
	 */
	public RunWithLock<T>(key: string, fn: (handle: LockHandle) => T, options?: WithLockOptions): RunWithLockResult<T> {
		if ((getmetatable(this) as unknown) !== KeyedLock)
			checkLock(this, "RunWithLock", "lock:RunWithLock(key, fn, options)");
		if (this.lease !== undefined) return this.lease.RunWithLock(key, fn, options);
		return runWithLock(this.engine, this.labels.RunWithLock, key, fn, options);
	}

	/**
	 * True when `TryAcquire(key)` would fail now (someone holds the key). Never yields, never creates
	 * state for the key.
	 *
	 * @example
	 * ```ts
	 * if (lock.IsLocked("arena_reset")) return "reset already in progress";
	 * ```
	 */
	public IsLocked(key: string): boolean {
		checkLock(this, "IsLocked", "lock:IsLocked(key)");
		if (this.lease !== undefined) return this.lease.IsLocked(key);
		checkKey(this.labels.IsLocked, key);
		return this.engine.isFull(key);
	}

	/**
	 * Holder, waiters, lockedAt and contention counts of `key` (zeros for a key never used or no
	 * longer tracked). Never yields.
	 *
	 * @example
	 * ```ts
	 * const info = lock.GetInfo("bank_7");
	 * print(info.locked, info.waiters, info.contended, info.timedOut, info.abandoned);
	 * ```
	 */
	public GetInfo(key: string): LockInfo {
		checkLock(this, "GetInfo", "lock:GetInfo(key)");
		if (this.lease !== undefined) return this.lease.GetInfo(key);
		checkKey(this.labels.GetInfo, key);
		return infoOf(this.engine, key);
	}

	/**
	 * Every tracked key's info (busy keys and recently idle ones), busiest first.
	 *
	 * @example
	 * ```ts
	 * for (const info of lock.GetAllInfo()) print(info.key, info.waiters);
	 * ```
	 */
	public GetAllInfo(): Array<LockInfo> {
		checkLock(this, "GetAllInfo", "lock:GetAllInfo()");
		if (this.lease !== undefined) return this.lease.GetAllInfo();
		return allInfoOf(this.engine);
	}

	/**
	 * The summary table (one row per tracked key plus totals) as text, for logs and tests.
	 *
	 * @example
	 * ```ts
	 * print(lock.FormatSummary());
	 * ```
	 */
	public FormatSummary(): string {
		checkLock(this, "FormatSummary", "lock:FormatSummary()");
		if (this.lease !== undefined)
			return formatLockSummary(this.engine.name, this.lease.GetAllInfo(), this.engine.retired);
		return formatLockSummary(this.engine.name, allInfoOf(this.engine), this.engine.retired);
	}

	/**
	 * Prints the summary table to the output (F9 console): key, held, holder, held for, waiters and
	 * the contention counts.
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => { lock.PrintSummary(); lock.ReleaseAll(); });
	 * ```
	 */
	public PrintSummary() {
		checkLock(this, "PrintSummary", "lock:PrintSummary()");
		print(this.FormatSummary());
	}

	/**
	 * Ends every hold (their handles go stale) and fails every waiter with `Cancelled`. For server
	 * shutdown (`game.BindToClose`) and tests. Counters of all keys move into the lock's totals.
	 * Returns how many holds it ended.
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => lock.ReleaseAll());
	 * ```
	 */
	public ReleaseAll(): number {
		checkLock(this, "ReleaseAll", "lock:ReleaseAll()");
		if (this.lease !== undefined) return this.lease.ReleaseAll();
		return this.engine.releaseAll();
	}

	/**
	 * The handle currently holding `key`, or undefined. Meant for admin tools and for adapters such
	 * as ExecutionGuard's `ReleaseLock(key)`, which releases by key rather than by handle.
	 *
	 * @example
	 * ```ts
	 * const holder = locks.GetHolder("arena_reset");
	 * if (holder) print("held since", holder.acquiredAt, "token", holder.token);
	 * ```
	 */
	public GetHolder(key: string): LockHandle | undefined {
		checkLock(this, "GetHolder", "lock:GetHolder(key)");
		if (this.lease !== undefined) return this.lease.GetHolder(key);
		checkKey(this.labels.GetHolder, key);
		return this.engine.inspect(key)?.holder;
	}

	/**
	 * Admin/compat: releases `key` from whoever holds it, without their handle (their handle goes
	 * stale, and the key passes to the first waiter). Returns false if nobody held it. Ordinary code
	 * should release through its handle: this is for clearing a key by hand in the console.
	 *
	 * @example
	 * ```ts
	 * if (locks.ForceRelease("import")) print("import lock cleared");
	 * ```
	 */
	public ForceRelease(key: string): boolean {
		checkLock(this, "ForceRelease", "lock:ForceRelease(key)");
		if (this.lease !== undefined) return this.lease.GetHolder(key)?.Release() ?? false;
		checkKey(this.labels.ForceRelease, key);
		// Not `inspect`: a dead holder taken back first would pass the key on, and this would free the next one.
		const holder = this.engine.records.get(key)?.holder;
		return holder !== undefined && holder.Release();
	}
}
