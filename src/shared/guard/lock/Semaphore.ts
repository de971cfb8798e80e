// Luau callers get `local handle, err = seats:TryAcquire(key)`, the two-value style of the seed API.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { checkKey, checkSelf, checkWholeNumber } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
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
import { PermitEngine } from "./PermitEngine";
import { runWithLock, withLock } from "./scoped";

/** Most permits per key a Semaphore accepts. */
export const MAX_PERMITS = 1e6;

function checkSemaphore(value: unknown, method: string, colonForm: string) {
	checkSelf(value, Semaphore, "Semaphore", method, colonForm);
}

/**
 * A counting semaphore per key: up to `permits` holders of the same key at once, for
 * capacity-limited sections (10 seats in a combat, 3 concurrent saves). Same rules as
 * {@link KeyedLock}: fail fast (`TryAcquire` → `AlreadyRunning` when every permit is taken) or wait
 * FIFO (`Acquire`), one handle per permit with its own fencing token and lease, a stale handle's
 * `Release()` frees nothing, `WithLock`/`RunWithLock` always give the permit back (also when their
 * thread is killed), a permit handed to a waiter killed before it resumed comes back. A freed permit
 * goes straight to the first waiter, so the count of holders never exceeds `permits`.
 *
 * @example
 * ```ts
 * const seats = new Semaphore(10, { name: "CombatSeats" });
 * const [seat, err] = seats.TryAcquire("combat_1", { owner: player.Name });
 * if (!seat) return "Combat full"; // AlreadyRunning: all 10 permits of "combat_1" are taken
 * player.AncestryChanged.Once(() => seat.Release());
 * ```
 */
export class Semaphore implements Lock {
	private readonly engine: PermitEngine;
	private readonly labels: ReturnType<typeof methodLabels>;

	/**
	 * @param permits holders allowed per key at once, a whole number ≥ 1 (required)
	 * @param options `strategy` (`"Memory"`), default `leaseTtl`, `maxIdleKeys`, `name`
	 *
	 * @example
	 * ```ts
	 * const saves = new Semaphore(3, { leaseTtl: 60 });
	 * ```
	 */
	public constructor(permits: number, options?: KeyedLockOptions) {
		checkWholeNumber("Semaphore.new", "permits", permits, 1, MAX_PERMITS);
		checkConstructorOptions("Semaphore.new", options);
		const name = shownLockName(options?.name, "Semaphore");
		this.engine = new PermitEngine(permits, options?.leaseTtl, options?.maxIdleKeys ?? DEFAULT_MAX_IDLE_KEYS, name);
		this.labels = methodLabels(name);
	}

	/**
	 * Takes a permit of `key` now, or fails fast with `(nil, AlreadyRunning)` when all are taken;
	 * with `retries`, polls with backoff. See `KeyedLock.TryAcquire`.
	 *
	 * @example
	 * ```ts
	 * const [seat] = seats.TryAcquire("combat_1", { owner: player.UserId });
	 * ```
	 */
	public TryAcquire(
		key: string,
		options?: TryAcquireOptions,
	): LuaTuple<[LockHandle | undefined, GuardError | undefined]> {
		// Inline compare first: the uncontended acquire is the hot path.
		if ((getmetatable(this) as unknown) !== Semaphore)
			checkSemaphore(this, "TryAcquire", "semaphore:TryAcquire(key)");
		if (options === undefined) {
			const handle = PermitEngine.takeKnownFree(this.engine, key, undefined);
			if (handle !== undefined) return $tuple(handle, undefined);
		}
		return tryAcquire(this.engine, this.labels.TryAcquire, key, options, undefined);
	}

	/**
	 * Takes a permit of `key`, waiting FIFO when all are taken (`timeout`, `leaseTtl`, `owner`). Yields.
	 * See `KeyedLock.Acquire`.
	 *
	 * @example
	 * ```ts
	 * const [save, err] = saves.Acquire("player_42", { timeout: 10 });
	 * ```
	 */
	public Acquire(key: string, options?: AcquireOptions): LuaTuple<[LockHandle | undefined, GuardError | undefined]> {
		if ((getmetatable(this) as unknown) !== Semaphore)
			checkSemaphore(this, "Acquire", "semaphore:Acquire(key, options)");
		if (options === undefined) {
			// A free key is granted as TryAcquire grants it (same owner, lease and counters): native -O2
			// uncontended Acquire + Release 3.0-3.4× → 1.5× the TryAcquire floor (bench/baselines/lockFloor).
			const handle = PermitEngine.takeKnownFree(this.engine, key, undefined);
			if (handle !== undefined) return $tuple(handle, undefined);
		}
		return acquire(this.engine, this.labels.Acquire, key, options, undefined, false);
	}

	/**
	 * `Acquire` as a Promise; `cancel()` leaves the queue or gives back a grant not yet delivered.
	 *
	 * @example
	 * ```ts
	 * seats.AcquireAsync("combat_1", { timeout: 5 }).then((seat) => join(seat));
	 * ```
	 */
	public AcquireAsync(key: string, options?: AcquireOptions): Promise<LockHandle> {
		checkSemaphore(this, "AcquireAsync", "semaphore:AcquireAsync(key, options)");
		return acquireAsync(this.engine, this.labels.AcquireAsync, key, options);
	}

	/**
	 * Runs fn holding a permit of `key` and always gives it back (rethrows fn's error). See `KeyedLock.WithLock`.
	 *
	 * @example
	 * ```ts
	 * saves.WithLock("datastore", () => store.SetAsync(key, data), { timeout: 10 });
	 * ```
	 */
	public WithLock<T>(key: string, fn: (handle: LockHandle) => T, options?: WithLockOptions): T {
		if ((getmetatable(this) as unknown) !== Semaphore)
			checkSemaphore(this, "WithLock", "semaphore:WithLock(key, fn, options)");
		return withLock(this.engine, this.labels.WithLock, key, fn, options);
	}

	/**
	 * Runs fn holding a permit and reports `{ acquired, result, error }`. See `KeyedLock.RunWithLock`.
	 *
	 * @example
	 * ```ts
	 * const outcome = saves.RunWithLock("datastore", () => save(player));
	 * ```
	 */
	public RunWithLock<T>(key: string, fn: (handle: LockHandle) => T, options?: WithLockOptions): RunWithLockResult<T> {
		if ((getmetatable(this) as unknown) !== Semaphore)
			checkSemaphore(this, "RunWithLock", "semaphore:RunWithLock(key, fn, options)");
		return runWithLock(this.engine, this.labels.RunWithLock, key, fn, options);
	}

	/**
	 * True when every permit of `key` is taken. Never yields, never creates state for the key.
	 *
	 * @example
	 * ```ts
	 * if (seats.IsLocked("combat_1")) return "Combat full";
	 * ```
	 */
	public IsLocked(key: string): boolean {
		checkSemaphore(this, "IsLocked", "semaphore:IsLocked(key)");
		checkKey(this.labels.IsLocked, key);
		return this.engine.isFull(key);
	}

	/**
	 * Holders, waiters and contention counts of `key`. Never yields.
	 *
	 * @example
	 * ```ts
	 * print(seats.GetInfo("combat_1").held);
	 * ```
	 */
	public GetInfo(key: string): LockInfo {
		checkSemaphore(this, "GetInfo", "semaphore:GetInfo(key)");
		checkKey(this.labels.GetInfo, key);
		return infoOf(this.engine, key);
	}

	/**
	 * Every tracked key's info, busiest first.
	 *
	 * @example
	 * ```ts
	 * for (const info of seats.GetAllInfo()) print(info.key, info.held);
	 * ```
	 */
	public GetAllInfo(): Array<LockInfo> {
		checkSemaphore(this, "GetAllInfo", "semaphore:GetAllInfo()");
		return allInfoOf(this.engine);
	}

	/**
	 * The summary table as text.
	 *
	 * @example
	 * ```ts
	 * print(seats.FormatSummary());
	 * ```
	 */
	public FormatSummary(): string {
		checkSemaphore(this, "FormatSummary", "semaphore:FormatSummary()");
		return formatLockSummary(this.engine.name, allInfoOf(this.engine), this.engine.retired);
	}

	/**
	 * Prints the summary table (F9 console).
	 *
	 * @example
	 * ```ts
	 * seats.PrintSummary();
	 * ```
	 */
	public PrintSummary() {
		checkSemaphore(this, "PrintSummary", "semaphore:PrintSummary()");
		print(this.FormatSummary());
	}

	/**
	 * Ends every hold and fails every waiter with `Cancelled`; returns how many holds it ended.
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => seats.ReleaseAll());
	 * ```
	 */
	public ReleaseAll(): number {
		checkSemaphore(this, "ReleaseAll", "semaphore:ReleaseAll()");
		return this.engine.releaseAll();
	}

	/**
	 * Permits of `key` free right now (`permits` for an unused key).
	 *
	 * @example
	 * ```ts
	 * print(`${seats.GetAvailable("combat_1")} seats left`);
	 * ```
	 */
	public GetAvailable(key: string): number {
		checkSemaphore(this, "GetAvailable", "semaphore:GetAvailable(key)");
		checkKey(this.labels.GetAvailable, key);
		return this.engine.permits - (this.engine.inspect(key)?.held ?? 0);
	}

	/**
	 * Permits per key, as given to the constructor.
	 *
	 * @example
	 * ```ts
	 * print(seats.GetPermits()); // 10
	 * ```
	 */
	public GetPermits(): number {
		checkSemaphore(this, "GetPermits", "semaphore:GetPermits()");
		return this.engine.permits;
	}
}
