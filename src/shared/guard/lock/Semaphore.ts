import { flattenInheritedMethods } from "../classes/flattenInheritedMethods";
import { KeyedLockOptions, KeyedPermits } from "./KeyedPermits";
import { checkCount, checkKey } from "./validate";

/**
 * A counting semaphore per key: up to `permits` holders of the same key at once, for
 * capacity-limited sections (10 seats in a combat, 3 concurrent saves). Same rules as
 * {@link KeyedLock}: fail fast (`TryAcquire` → `AlreadyRunning` when every permit is taken) or wait
 * FIFO (`Acquire`), one handle per permit with its own fencing token and lease, a stale handle's
 * `Release()` frees nothing, `WithLock`/`RunWithLock` always give the permit back. A freed permit
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
export class Semaphore extends KeyedPermits {
	/**
	 * @param permits holders allowed per key at once, a whole number ≥ 1
	 * @param options `strategy` (`"Memory"`), default `leaseTtl`, `maxIdleKeys`, `name`
	 *
	 * @example
	 * ```ts
	 * const saves = new Semaphore(3, { leaseTtl: 60 });
	 * ```
	 */
	public constructor(permits: number, options?: KeyedLockOptions) {
		checkCount(permits, "permits", "Semaphore.new", 1, 1e6);
		super(permits, options, "Semaphore");
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
		checkKey(key, `${this.name}.GetAvailable`);
		return this.permits - this.GetInfo(key).held;
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
		return this.permits;
	}
}

// `lock.TryAcquire(...)` and the other KeyedPermits/PermitEngine methods are found on Semaphore's own
// table, not two base classes up (the uncontended acquire+release is the lock's hot path).
flattenInheritedMethods(Semaphore);
