import { LockDeadline } from "./lockDeadlines";
import { KeyRecord } from "./KeyRecord";
import { LockHandle } from "./LockTypes";

/** The lock side of a handle: what `Release()` and lease expiry call back into. */
export interface PermitOwner {
	releaseHandle(handle: PermitHandle): boolean;
	settle(record: KeyRecord): void;
	idleCount: number;
	readonly maxIdleKeys: number;
	expireHandle(handle: PermitHandle): void;
}

/**
 * The in-memory handle: the public {@link LockHandle} plus the state the lock needs. The lock is
 * reached through `record.lock` (one field less to fill per acquisition).
 */
export interface PermitHandle extends LockHandle, LockDeadline {
	/** The lease end, for the deadline heap (leased handles only: unleased ones never enter the heap). */
	deadline: number;
	readonly record: KeyRecord;
	/** True until released, expired or taken by ReleaseAll. */
	held: boolean;
}

const attachMethods = setmetatable;

// Methods live in shared metatables and a handle is built with one table constructor: an
// acquisition allocates exactly one table (no closures, no per-field rehash of a class constructor).
// Unleased and leased handles get different metatables, so the unleased `Release` never asks about
// a lease: `expiresAt` is absent from an unleased handle, and reading an absent field costs a
// metatable lookup on this VM.
const handleMethods = {
	Release(this: PermitHandle) {
		const record = this.record;
		// Fast path, the common case: a single-holder key (KeyedLock) nobody waits for. For such a key
		// `record.holder === this` holds exactly while this handle holds it (grant sets it; release,
		// expiry and ReleaseAll clear it together with `held`), so a stale handle never gets past it.
		if (record.holder === this && record.head === undefined) {
			this.held = false;
			record.held = 0;
			record.holder = undefined;
			// settle() inlined for the usual outcome: keep the now idle record while there is room.
			const lock = record.lock;
			if (lock.idleCount < lock.maxIdleKeys) {
				record.idle = true;
				lock.idleCount += 1;
			} else lock.settle(record);
			return true;
		}
		return record.lock.releaseHandle(this);
	},
	IsValid(this: PermitHandle) {
		return this.held;
	},
	onDeadline(this: PermitHandle) {
		this.record.lock.expireHandle(this);
	},
};

const leasedHandleMethods = {
	Release(this: PermitHandle) {
		return this.record.lock.releaseHandle(this);
	},
	IsValid(this: PermitHandle) {
		return this.held && os.clock() < this.expiresAt!;
	},
	onDeadline(this: PermitHandle) {
		this.record.lock.expireHandle(this);
	},
};

function describeHandle(handle: PermitHandle) {
	return `LockHandle("${handle.key}", token ${handle.token})`;
}

/** @internal The metatable of unleased handles (KeyedPermits builds those inline on its fast path). */
export const handleMetatable = { __index: handleMethods, __tostring: describeHandle };

const leasedHandleMetatable = { __index: leasedHandleMethods, __tostring: describeHandle };

/** Builds the handle of one acquisition. */
export function newPermitHandle(
	record: KeyRecord,
	token: number,
	now: number,
	expiresAt: number | undefined,
	owner: unknown,
): PermitHandle {
	if (expiresAt === undefined) {
		const fields = { key: record.key, token, acquiredAt: now, owner, record, held: true };
		return attachMethods(fields, handleMetatable as never) as unknown as PermitHandle;
	}
	const fields = {
		key: record.key,
		token,
		acquiredAt: now,
		expiresAt,
		owner,
		record,
		held: true,
		deadline: expiresAt,
		heapIndex: -1,
	};
	return attachMethods(fields, leasedHandleMetatable as never) as unknown as PermitHandle;
}
