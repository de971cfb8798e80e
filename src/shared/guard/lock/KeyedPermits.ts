// Luau callers get `local handle, err = lock:TryAcquire(key)`, the two-value style of the seed API.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { GuardError } from "../errors/GuardError";
import { DEFAULT_BASE_DELAY, DEFAULT_MAX_DELAY, backoffDelay } from "./backoff";
import { describeRecord, formatLockSummary, sortInfos } from "./lockSummary";
import {
	AcquireOptions,
	Lock,
	LockHandle,
	LockInfo,
	RunWithLockResult,
	TryAcquireOptions,
	WithLockOptions,
} from "./LockTypes";
import { WaiterState } from "./KeyRecord";
import { PermitEngine, WaitSlot, clock, runningThread } from "./PermitEngine";
import { handleMetatable } from "./PermitHandle";
import { runWithLock, withLock } from "./scoped";
import { checkCount, checkKey, checkOptions, checkRandom, checkSeconds } from "./validate";

/** Options of the `KeyedLock` / `Semaphore` constructors. */
export interface KeyedLockOptions {
	/** Where the lock state lives; only `"Memory"` (this server) exists now. */
	readonly strategy?: "Memory";
	/** Default lease in seconds for every acquisition (none by default: held until released). */
	readonly leaseTtl?: number;
	/** Idle keys whose counters are kept for `GetInfo` (256 by default); older idle keys are dropped. */
	readonly maxIdleKeys?: number;
	/** Shown in warnings and the summary title. */
	readonly name?: string;
}

const CONSTRUCTOR_OPTIONS = new Set(["strategy", "leaseTtl", "maxIdleKeys", "name"]);
const TRY_OPTIONS = new Set(["leaseTtl", "owner", "retries", "baseDelay", "maxDelay", "random", "onRetry"]);
const ACQUIRE_OPTIONS = new Set(["timeout", "leaseTtl", "owner"]);

/**
 * The public surface shared by `KeyedLock` and `Semaphore`: input validation, the seed-shaped methods
 * (`TryAcquire`, `Acquire`, `WithLock`, `RunWithLock`, `IsLocked`, `ReleaseAll`) and introspection,
 * on top of the {@link PermitEngine} state machine.
 */
export abstract class KeyedPermits extends PermitEngine implements Lock {
	/** Method names for messages, built once: no string work on the hot path. */
	private readonly labels: {
		readonly tryAcquire: string;
		readonly acquire: string;
		readonly acquireAsync: string;
		readonly isLocked: string;
		readonly getInfo: string;
		readonly withLock: string;
		readonly runWithLock: string;
	};

	protected constructor(permits: number, options: KeyedLockOptions | undefined, className: string) {
		const where = `${className}.new`;
		checkOptions(options, CONSTRUCTOR_OPTIONS, where);
		const strategy = options?.strategy;
		if (strategy !== undefined && strategy !== "Memory") {
			throw new GuardError(
				"InvalidArgument",
				`${where}: option 'strategy' must be "Memory" (the only strategy available now), got ${tostring(strategy)}`,
				{ argument: "strategy", given: strategy },
			);
		}
		checkSeconds(options?.leaseTtl, "leaseTtl", where, true);
		checkCount(options?.maxIdleKeys, "maxIdleKeys", where, 0, 1e6);
		const name = options?.name;
		if (name !== undefined && !typeIs(name, "string")) {
			throw new GuardError("InvalidArgument", `${where}: option 'name' must be a string, got ${typeOf(name)}`, {
				argument: "name",
				given: name,
			});
		}
		super(permits, options?.leaseTtl, options?.maxIdleKeys ?? 256, name ?? className);
		const label = this.name;
		this.labels = {
			tryAcquire: `${label}.TryAcquire`,
			acquire: `${label}.Acquire`,
			acquireAsync: `${label}.AcquireAsync`,
			isLocked: `${label}.IsLocked`,
			getInfo: `${label}.GetInfo`,
			withLock: `${label}.WithLock`,
			runWithLock: `${label}.RunWithLock`,
		};
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
		if (options === undefined) {
			// Hot path: a key with a record was validated when the record was made, so a free known
			// key is granted without re-checking it.
			const record = this.records.get(key);
			if (record !== undefined && record.held < this.permits) {
				if (record.idle) {
					record.idle = false;
					this.idleCount -= 1;
				}
				const leaseTtl = this.defaultLeaseTtl;
				if (leaseTtl === undefined && record.holders === undefined) {
					// grant() inlined for a free single-holder key without a lease (nothing to schedule):
					// one table for the handle, one clock read, no further calls.
					const token = this.lastToken + 1;
					this.lastToken = token;
					const handle = setmetatable(
						{ key, token, acquiredAt: clock(), owner: runningThread(), record, held: true },
						handleMetatable as never,
					) as unknown as LockHandle;
					record.held = 1;
					record.holder = handle;
					record.acquired += 1;
					return $tuple(handle, undefined);
				}
				return $tuple(this.grant(record, runningThread(), leaseTtl, clock()) as LockHandle, undefined);
			}
			checkKey(key, this.labels.tryAcquire);
			return this.tryOnce(key, runningThread(), this.defaultLeaseTtl, this.labels.tryAcquire);
		}
		const where = this.labels.tryAcquire;
		checkKey(key, where);
		checkOptions(options, TRY_OPTIONS, where);
		checkSeconds(options.leaseTtl, "leaseTtl", where, true);
		checkCount(options.retries, "retries", where, 0, 100);
		checkSeconds(options.baseDelay, "baseDelay", where, true);
		checkSeconds(options.maxDelay, "maxDelay", where, true);
		checkRandom(options.random, where);
		if (options.onRetry !== undefined && !typeIs(options.onRetry, "function")) {
			throw new GuardError("InvalidArgument", `${where}: option 'onRetry' must be a function`, {
				argument: "onRetry",
				given: options.onRetry,
			});
		}
		const owner = options.owner ?? runningThread();
		const leaseTtl = options.leaseTtl ?? this.defaultLeaseTtl;
		const retries = options.retries ?? 0;
		const baseDelay = options.baseDelay ?? DEFAULT_BASE_DELAY;
		const maxDelay = math.max(options.maxDelay ?? DEFAULT_MAX_DELAY, baseDelay);
		let [handle, err] = this.tryOnce(key, owner, leaseTtl, where);
		for (let retry = 1; retry <= retries && handle === undefined; retry++) {
			const delay = backoffDelay(retry, baseDelay, maxDelay, options.random);
			options.onRetry?.(retry, delay);
			task.wait(delay);
			[handle, err] = this.tryOnce(key, owner, leaseTtl, where);
		}
		return $tuple(handle, err);
	}

	/**
	 * Takes `key`, waiting in a FIFO queue if it is held: the releaser hands the key straight to the
	 * first waiter (no polling). Yields. Returns `(handle, nil)`, or `(nil, Timeout)` after `timeout`
	 * seconds (`details.waited`), or `(nil, Cancelled)` if `ReleaseAll` ran while waiting, or at once
	 * `(nil, Reentrant)` if the calling thread itself holds the key and neither a lease nor a timeout
	 * would ever end the wait (a self-deadlock). A waiter
	 * that gives up leaves the queue at once; the holder is not affected. A thread killed with
	 * `task.cancel` while queued is skipped when its turn comes.
	 *
	 * @example
	 * ```ts
	 * const [handle, err] = lock.Acquire("bank_7", { timeout: 5, leaseTtl: 30 });
	 * if (!handle) return warn(err); // Timeout: gave up waiting for "bank_7" after 5.00 s
	 * ```
	 */
	public Acquire(key: string, options?: AcquireOptions): LuaTuple<[LockHandle | undefined, GuardError | undefined]> {
		return this.acquireWaiting(key, options, this.labels.acquire, undefined);
	}

	/** @internal Acquire, reporting the queue node to `slot` (for promise cancellation). */
	protected acquireWaiting(
		key: string,
		options: AcquireOptions | undefined,
		where: string,
		slot: WaitSlot | undefined,
	): LuaTuple<[LockHandle | undefined, GuardError | undefined]> {
		checkKey(key, where);
		checkOptions(options, ACQUIRE_OPTIONS, where);
		const timeout = options?.timeout;
		checkSeconds(timeout, "timeout", where, false);
		checkSeconds(options?.leaseTtl, "leaseTtl", where, true);
		const owner = options?.owner ?? runningThread();
		const leaseTtl = options?.leaseTtl ?? this.defaultLeaseTtl;
		const record = this.recordFor(key);
		const now = clock();
		if (record.held < this.permits || (this.expireDue(record, now) && record.held < this.permits)) {
			return $tuple(this.grant(record, owner, leaseTtl, now) as LockHandle, undefined);
		}
		record.contended += 1;
		if (timeout === 0) {
			record.timedOut += 1;
			const err = new GuardError("Timeout", `${where}: "${key}" is held and timeout is 0`, {
				key,
				waited: 0,
				lockedAt: this.oldestHolder(record)?.acquiredAt,
			});
			return $tuple(undefined, err);
		}
		const holder = record.holder;
		if (timeout === undefined && holder?.expiresAt === undefined && holder?.owner === runningThread()) {
			// The caller holds the key itself, with no lease and no timeout: waiting would never end.
			const err = new GuardError(
				"Reentrant",
				`${where}: this thread already holds "${key}" (token ${holder.token}); waiting for it would never end`,
				{ key, token: holder.token, lockedAt: holder.acquiredAt },
			);
			return $tuple(undefined, err);
		}
		return this.waitInQueue(record, timeout, owner, options?.leaseTtl, now, slot);
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
		const where = this.labels.acquireAsync;
		// Validate now, so bad input throws at the call site, not inside the promise.
		checkKey(key, where);
		checkOptions(options, ACQUIRE_OPTIONS, where);
		checkSeconds(options?.timeout, "timeout", where, false);
		checkSeconds(options?.leaseTtl, "leaseTtl", where, true);
		const resolvedOptions: AcquireOptions = { ...options, owner: options?.owner ?? runningThread() };
		return new Promise<LockHandle>((resolve, reject, onCancel) => {
			const slot: WaitSlot = {};
			onCancel(() => {
				const node = slot.node;
				if (node === undefined) return;
				// Promise closes this executor thread after the hook: a waiter leaves the queue, and a
				// grant that has not reached the thread yet is given back, or the key would stay held.
				if (node.state === WaiterState.Waiting) this.cancelWaiter(node, "promise cancelled");
				else if (node.state === WaiterState.Granted) node.handle?.Release();
			});
			const [handle, err] = this.acquireWaiting(key, resolvedOptions, where, slot);
			if (handle === undefined) return reject(err);
			resolve(handle);
		});
	}

	/**
	 * Runs `fn(handle)` holding `key` and always releases it — also when fn throws, in which case the
	 * original error value is rethrown unchanged (string errors keep their position prefix). Waits in
	 * the queue (up to `timeout`, default: until granted), or polls with backoff when `retries` is set.
	 * Throws the GuardError of a failed acquisition (`AlreadyRunning`, `Timeout`, `Cancelled`), and
	 * `LockLost` (with `details.result`) if fn returned after its lease ran out.
	 *
	 * @example
	 * ```ts
	 * const coins = lock.WithLock(`wallet_${userId}`, () => addCoins(userId, 50), { timeout: 5, leaseTtl: 30 });
	 * ```
	 */
	public WithLock<T>(key: string, fn: (handle: LockHandle) => T, options?: WithLockOptions): T {
		return withLock(this, key, fn, options, this.labels.withLock);
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
		return runWithLock(this, key, fn, options, this.labels.runWithLock);
	}

	/**
	 * True when `TryAcquire(key)` would fail now (for a KeyedLock: someone holds the key; for a
	 * Semaphore: every permit is taken). Never yields, never creates state for the key.
	 *
	 * @example
	 * ```ts
	 * if (lock.IsLocked("arena_reset")) return "reset already in progress";
	 * ```
	 */
	public IsLocked(key: string): boolean {
		checkKey(key, this.labels.isLocked);
		const record = this.records.get(key);
		if (record === undefined || record.held < this.permits) return false;
		this.expireDue(record, clock());
		return record.held >= this.permits;
	}

	/**
	 * Holder, waiters, lockedAt and contention counts of `key` (zeros for a key never used or no
	 * longer tracked). Never yields.
	 *
	 * @example
	 * ```ts
	 * const info = lock.GetInfo("bank_7");
	 * print(info.locked, info.waiters, info.contended, info.timedOut);
	 * ```
	 */
	public GetInfo(key: string): LockInfo {
		checkKey(key, this.labels.getInfo);
		const record = this.records.get(key);
		if (record !== undefined && record.held >= this.permits) this.expireDue(record, clock());
		return describeRecord(key, record, this.permits, record && this.oldestHolder(record));
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
		const infos = new Array<LockInfo>();
		for (const [key, record] of this.records) {
			infos.push(describeRecord(key, record, this.permits, this.oldestHolder(record)));
		}
		return sortInfos(infos);
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
		return formatLockSummary(this.name, this.GetAllInfo(), this.retired);
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
		return this.releaseEverything();
	}
}
