import { flattenInheritedMethods } from "../classes/flattenInheritedMethods";
import { KeyedLockOptions, KeyedPermits } from "./KeyedPermits";
import { LockHandle } from "./LockTypes";
import { PermitHandle } from "./PermitHandle";
import { checkKey } from "./validate";

/**
 * A mutex per key inside one server: at most one holder per key, fail fast (`TryAcquire`) or wait
 * in a FIFO queue (`Acquire`), scoped use (`WithLock`, `RunWithLock`), leases, fencing tokens and
 * contention counters. Implements {@link Lock}, the interface a cross-server MemoryStore lease will
 * implement too.
 *
 * Rules at the edges:
 * - a released key goes straight to the first live waiter (no polling); waiters that time out or are
 *   cancelled leave the queue at once, so `IsLocked` and `GetInfo(key).waiters` stay exact;
 * - every acquisition gets a larger `token`; a handle whose lease expired or that was already
 *   released cannot free anyone else's hold (`Release()` returns false and warns);
 * - bad input throws a `GuardError` of kind `InvalidArgument` and changes nothing.
 *
 * @example
 * ```ts
 * const locks = new KeyedLock({ leaseTtl: 30 });
 * const [handle, err] = locks.TryAcquire(`trade_${userId}`);
 * if (!handle) return warn(err); // AlreadyRunning: "trade_42" is held by ...
 * try { doTrade(); } finally { handle.Release(); }
 * ```
 */
export class KeyedLock extends KeyedPermits {
	/**
	 * @param options `strategy` (`"Memory"`), default `leaseTtl`, `maxIdleKeys`, `name`
	 *
	 * @example
	 * ```ts
	 * const locks = new KeyedLock({ strategy: "Memory", leaseTtl: 60, name: "TradeLocks" });
	 * ```
	 */
	public constructor(options?: KeyedLockOptions) {
		super(1, options, "KeyedLock");
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
		checkKey(key, `${this.name}.GetHolder`);
		const holder = this.records.get(key)?.holder;
		return holder !== undefined && holder.IsValid() ? holder : undefined;
	}

	/**
	 * Admin/compat: releases `key` from whoever holds it, without their handle (their handle goes
	 * stale, and the key passes to the first waiter). Returns false if nobody held it. Ordinary code
	 * should release through its handle: this is for ExecutionGuard's `ReleaseLock(key)` (the seed's
	 * API has no handles) and for clearing a key by hand in the console.
	 *
	 * @example
	 * ```ts
	 * if (locks.ForceRelease("import")) print("import lock cleared");
	 * ```
	 */
	public ForceRelease(key: string): boolean {
		checkKey(key, `${this.name}.ForceRelease`);
		const holder = this.records.get(key)?.holder;
		if (holder === undefined || !holder.IsValid()) return false;
		return this.releaseHandle(holder as PermitHandle);
	}
}

// `lock.TryAcquire(...)` and the other KeyedPermits/PermitEngine methods are found on KeyedLock's own
// table, not two base classes up (the uncontended acquire+release is the lock's hot path).
flattenInheritedMethods(KeyedLock);
