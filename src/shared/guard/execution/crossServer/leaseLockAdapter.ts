/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- the lease API answers (handle, error), as KeyedLock.TryAcquire does */
import { GuardError } from "../../errors/GuardError";
import { MemoryStoreLeases } from "../../lease/MemoryStoreLeases";
import { KeyedLock } from "../../lock/KeyedLock";
import { ExperienceSettings } from "./experienceConfig";
import { ExperienceLeases, HeldLease, LeaseHolder } from "./ExperienceLeases";

/**
 * The default lease backend of an experience guard: a `KeyedLock({ strategy: "MemoryStore" })`
 * (the lease lock of `../../lease/`: one UpdateAsync per acquire and release, renewal every
 * leaseTtl/3 while held, fencing tokens), named after the guard, so its items are
 * `<name>/<key>` in the HashMap `ExecutionGuard.Leases`. A lost lease (renewals failed, or another
 * owner found) is warned about by name; the run goes on and its outcome still carries its token.
 *
 * @example
 * ```ts
 * const leases = leaseLockFor(settings);
 * const [lease, err] = leases.tryAcquire("season_reset");
 * ```
 */
export function leaseLockFor(settings: ExperienceSettings): ExperienceLeases {
	const lock = new KeyedLock({
		strategy: "MemoryStore",
		name: settings.name,
		leaseTtl: settings.leaseTtl,
		memoryStore: settings.memoryStore,
		onLockLost: (key, lease, reason) =>
			warn(
				`[ExecutionGuard] "${key}": the experience lease (token ${lease.token}) was lost (${reason}); ` +
					`another server may run it now`,
			),
	});
	// The same items, read directly: one GetAsync per look at the holder.
	const records = new MemoryStoreLeases({ leaseTtl: settings.leaseTtl, memoryStore: settings.memoryStore });
	const prefix = `${settings.name}/`;
	return {
		tryAcquire(key: string): LuaTuple<[HeldLease | undefined, GuardError | undefined]> {
			const [ok, handle, err] = pcall(() => lock.TryAcquire(key));
			if (!ok) return $tuple(undefined, new GuardError("StoreFailed", tostring(handle), { key, cause: handle }));
			return $tuple(handle as HeldLease | undefined, err as GuardError | undefined);
		},
		peek(key: string): LeaseHolder | undefined {
			const [ok, record] = pcall(() => records.Peek(prefix + key));
			if (!ok || record === undefined) return undefined;
			return { jobId: record.jobId, since: record.acquiredAt, token: record.token };
		},
	};
}
