import { GuardError } from "../errors/GuardError";
import { LeaseEventCallback, LeaseLostCallback } from "../lease/LeaseTypes";

/**
 * Where a lock keeps its state: `"Memory"` (this server only, fastest; the default) or
 * `"MemoryStore"` (KeyedLock only: a lease in a MemoryStore HashMap that every server of the
 * experience shares, with fencing tokens and renewal — src/shared/guard/lease/README.md). Both
 * implement the same {@link Lock} interface, which is why every method of it may yield.
 *
 * @example
 * ```ts
 * const local = new KeyedLock({ strategy: "Memory" });
 * const experienceWide = new KeyedLock({ strategy: "MemoryStore", name: "SeasonJob", leaseTtl: 30 });
 * ```
 */
export type LockStrategy = "Memory" | "MemoryStore";

/**
 * Options of the `KeyedLock` / `Semaphore` constructors.
 *
 * @example
 * ```ts
 * const locks = new KeyedLock({ strategy: "Memory", leaseTtl: 60, maxIdleKeys: 512, name: "TradeLocks" });
 * ```
 */
export interface KeyedLockOptions {
	/** Where the lock state lives: `"Memory"` (default) or `"MemoryStore"` (see {@link LockStrategy}). */
	readonly strategy?: LockStrategy;
	/**
	 * Default lease in seconds for every acquisition (none by default: held until released). With
	 * `"MemoryStore"`: the lease length (default 30), renewed every third of it while held.
	 */
	readonly leaseTtl?: number;
	/**
	 * How many keys keep their record (and counters, for `GetInfo`) while unused (256 by default): the
	 * first that go idle keep a place until `ReleaseAll`, also while held again; a later key that goes
	 * idle with no place left is dropped, its counts kept in the lock's totals.
	 */
	readonly maxIdleKeys?: number;
	/** Shown in warnings and the summary title; with `"MemoryStore"` also the items' key prefix (`name/key`). */
	readonly name?: string;
	/** MemoryStore only: called when a held lease is lost (renewal failed or found another owner), before it expires. */
	readonly onLockLost?: LeaseLostCallback;
	/** MemoryStore only: called when this server acquired a lease (token, JobId: for logs and the demo). */
	readonly onAcquired?: LeaseEventCallback;
	/** MemoryStore only: called when this server released a lease. */
	readonly onReleased?: LeaseEventCallback;
	/** MemoryStore only: the service (default: this server's `MemoryStoreService`); specs pass another server's. */
	readonly memoryStore?: MemoryStoreService;
	/** MemoryStore only: the HashMap's name (default `"ExecutionGuard.Leases"`). */
	readonly mapName?: string;
	/** MemoryStore only: largest clock difference assumed between servers, seconds (default 2). */
	readonly maxClockSkew?: number;
	/** MemoryStore only: the holder stops trusting its lease this long before its local expiry (default 1 s). */
	readonly localMargin?: number;
	/** MemoryStore only: how long a free key's item (and its token) is kept, seconds (default 86400). */
	readonly tokenRetention?: number;
	/** MemoryStore only: jitter source of the retries and polls. */
	readonly random?: Random | (() => number);
}

/**
 * One acquisition of a key: the only thing that can release it. Each acquisition gets a fresh,
 * monotonically increasing `token` (a fencing token), so a handle that outlived its lease can never
 * free the next holder's lock: its `Release()` returns false and warns instead.
 *
 * @example
 * ```ts
 * const [handle] = lock.TryAcquire("shop_42");
 * if (handle) {
 * 	try { buy(); } finally { handle.Release(); }
 * }
 * ```
 */
export interface LockHandle {
	/** The key this handle holds. */
	readonly key: string;
	/** Fencing token: larger than every token handed out before it by the same lock. */
	readonly token: number;
	/** `os.clock()` when the key was granted to this handle. */
	readonly acquiredAt: number;
	/** `os.clock()` when the lease ends by itself, or `undefined` for no lease. */
	readonly expiresAt: number | undefined;
	/** Who holds it: the `owner` option, or the thread that acquired it. */
	readonly owner: unknown;
	/**
	 * Gives the key back (to the first waiter, if any). Returns true if this handle still held the
	 * key; false (with a warning) if it was already released, its lease expired or `ReleaseAll` took it —
	 * in that case nothing else is touched, so a stale handle can never free the next holder.
	 *
	 * @example
	 * ```ts
	 * if (!handle.Release()) warn("the lease ran out before the work finished");
	 * ```
	 */
	Release(): boolean;
	/**
	 * True while this handle holds its key: not released, lease not expired, not taken by `ReleaseAll`.
	 *
	 * @example
	 * ```ts
	 * if (!handle.IsValid()) return; // lease ran out: do not write
	 * ```
	 */
	IsValid(): boolean;
}

/**
 * Options of `TryAcquire`. With `retries` > 0 it polls with exponential backoff and jitter (and
 * yields between attempts) instead of joining the FIFO queue.
 */
export interface TryAcquireOptions {
	/** Seconds after which the key frees itself (lease); overrides the lock's default `leaseTtl`. */
	readonly leaseTtl?: number;
	/** Who holds the key, shown in errors and summaries; the current thread by default. */
	readonly owner?: unknown;
	/** Extra attempts after the first (0 by default: fail fast). */
	readonly retries?: number;
	/** Delay before the first retry, in seconds (0.1 by default); doubles each retry. */
	readonly baseDelay?: number;
	/** Upper bound of one delay, in seconds (30 by default). */
	readonly maxDelay?: number;
	/** Jitter source: a `Random` (e.g. `new Random(seed)` for repeatable runs) or a `() => number` in [0, 1). */
	readonly random?: Random | (() => number);
	/** Called before each backoff wait with the retry number (1-based) and the delay in seconds. */
	readonly onRetry?: (retry: number, delay: number) => void;
}

/** Options of `Acquire` (waits in a FIFO queue). */
export interface AcquireOptions {
	/** Longest wait in seconds; `undefined` waits until granted, 0 never waits. */
	readonly timeout?: number;
	/** Seconds after which the key frees itself (lease); overrides the lock's default `leaseTtl`. */
	readonly leaseTtl?: number;
	/** Who holds the key, shown in errors and summaries; the current thread by default. */
	readonly owner?: unknown;
}

/**
 * Options of `WithLock` / `RunWithLock`: by default they wait in the queue (`timeout`); with
 * `retries` they poll with backoff instead.
 */
export interface WithLockOptions extends TryAcquireOptions {
	/** Longest wait in the queue, in seconds (ignored when `retries` is given). */
	readonly timeout?: number;
}

/**
 * The outcome of `RunWithLock` (seed 002's `runImportWithLock`): three cases.
 * - not acquired: `acquired = false`, `error` is the `AlreadyRunning` / `Timeout` / `Cancelled` GuardError;
 * - acquired and fn returned: `acquired = true`, `result` is its value, `error` undefined;
 * - acquired and fn threw: `acquired = true`, `error` is the original error, `traceback` where it was thrown.
 *   (`error` is a `LockLost` GuardError, with `result` set, if fn returned after its lease ran out.)
 */
export interface RunWithLockResult<T> {
	/** Whether the key was taken (fn ran only if so). */
	readonly acquired: boolean;
	/** fn's return value, when it returned. */
	readonly result?: T;
	/** Why it was not acquired, fn's own error, or `LockLost`. */
	readonly error?: unknown;
	/** Where fn threw, when it threw. */
	readonly traceback?: string;
}

/**
 * What a lock knows about one key, from `GetInfo(key)`. Counts start when the key is first used
 * and are kept while the key is busy or among the lock's recently idle keys.
 */
export interface LockInfo {
	readonly key: string;
	/** True when a `TryAcquire` would fail now (every permit taken). */
	readonly locked: boolean;
	/** Permits per key (1 for KeyedLock). */
	readonly permits: number;
	/** Permits taken now. */
	readonly held: number;
	/** Owner of the oldest current holder, if any. */
	readonly holder: unknown;
	/** Fencing token of the oldest current holder, if any. */
	readonly holderToken: number | undefined;
	/** `os.clock()` when the oldest current holder got the key. */
	readonly lockedAt: number | undefined;
	/** Threads queued for the key now. */
	readonly waiters: number;
	/** Grants so far (immediate or after a wait). */
	readonly acquired: number;
	/** Attempts that found the key taken (failed fast or had to wait). */
	readonly contended: number;
	/** Waits that ran out of time. */
	readonly timedOut: number;
	/** Waits that were cancelled (promise cancel, `ReleaseAll`, dead thread). */
	readonly cancelled: number;
	/** Holds that ended because their lease ran out. */
	readonly expired: number;
	/** `Release()` calls by handles that no longer held the key. */
	readonly staleReleases: number;
	/** Holds taken back because the thread they were bound to died (see the lock README). */
	readonly abandoned: number;
}

/**
 * A keyed lock, whatever keeps its state: `KeyedLock` and `Semaphore` (in memory) implement it, and a
 * cross-server MemoryStore lease can implement it later. Every method may yield (MemoryStore calls
 * do); the in-memory ones only yield where they wait.
 *
 * @example
 * ```ts
 * function transfer(lock: Lock, from: string) {
 * 	return lock.WithLock(`wallet_${from}`, () => move(from), { timeout: 5 });
 * }
 * ```
 */
export interface Lock {
	/**
	 * Takes the key now or fails fast with `AlreadyRunning` (or polls with backoff when `retries` is set).
	 * @example `const [handle, err] = lock.TryAcquire("import");`
	 */
	TryAcquire(key: string, options?: TryAcquireOptions): LuaTuple<[LockHandle | undefined, GuardError | undefined]>;
	/**
	 * Waits in a FIFO queue up to `timeout`; fails with `Timeout`, `Cancelled` or `Reentrant`.
	 * @example `const [handle, err] = lock.Acquire("bank_7", { timeout: 5 });`
	 */
	Acquire(key: string, options?: AcquireOptions): LuaTuple<[LockHandle | undefined, GuardError | undefined]>;
	/**
	 * Runs fn holding the key, always releases, rethrows fn's error.
	 * @example `const total = lock.WithLock("bank_7", () => deposit(10));`
	 */
	WithLock<T>(key: string, fn: (handle: LockHandle) => T, options?: WithLockOptions): T;
	/**
	 * Runs fn holding the key and reports `{ acquired, result, error }` instead of throwing.
	 * @example `const { acquired, result, error } = lock.RunWithLock("import", runImport);`
	 */
	RunWithLock<T>(key: string, fn: (handle: LockHandle) => T, options?: WithLockOptions): RunWithLockResult<T>;
	/**
	 * True when `TryAcquire(key)` would fail now.
	 * @example `if (lock.IsLocked("migrate")) print("already running");`
	 */
	IsLocked(key: string): boolean;
	/**
	 * Frees every key and cancels every waiter (server shutdown). Returns how many holds it ended.
	 * @example `game.BindToClose(() => lock.ReleaseAll());`
	 */
	ReleaseAll(): number;
	/**
	 * Holder, waiters and contention counts for one key.
	 * @example `print(lock.GetInfo("bank_7").waiters);`
	 */
	GetInfo(key: string): LockInfo;
}
