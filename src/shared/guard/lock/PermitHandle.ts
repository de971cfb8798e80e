import { Deadline } from "./DeadlineHeap";
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

/** The in-memory handle: the public {@link LockHandle} plus the state the lock needs. */
export interface PermitHandle extends LockHandle, Deadline {
	/** The lease end, for the deadline heap (undefined: no lease, never scheduled). */
	deadline: number;
	readonly lock: PermitOwner;
	readonly record: KeyRecord;
	/** True until released, expired or taken by ReleaseAll. */
	held: boolean;
}

const attachMethods = setmetatable;

// Methods live in one shared metatable and a handle is built with one table constructor: an
// acquisition allocates exactly one table (no closures, no per-field rehash of a class constructor).
const handleMethods = {
	Release(this: PermitHandle) {
		const record = this.record;
		// Fast path, the common case: a held, unleased, single-holder key nobody waits for.
		if (this.held && this.expiresAt === undefined && record.head === undefined && record.holder === this) {
			this.held = false;
			record.held -= 1;
			record.holder = undefined;
			// settle() inlined for the usual outcome: keep the now idle record while there is room.
			const lock = this.lock;
			if (lock.idleCount < lock.maxIdleKeys) {
				record.idle = true;
				lock.idleCount += 1;
			} else lock.settle(record);
			return true;
		}
		return this.lock.releaseHandle(this);
	},
	IsValid(this: PermitHandle) {
		const expiresAt = this.expiresAt;
		return this.held && (expiresAt === undefined || os.clock() < expiresAt);
	},
	onDeadline(this: PermitHandle) {
		this.lock.expireHandle(this);
	},
};

const handleMetatable = {
	__index: handleMethods,
	__tostring: (handle: PermitHandle) => `LockHandle("${handle.key}", token ${handle.token})`,
};

/** Builds the handle of one acquisition. */
export function newPermitHandle(
	lock: PermitOwner,
	record: KeyRecord,
	token: number,
	now: number,
	expiresAt: number | undefined,
	owner: unknown,
): PermitHandle {
	const fields = {
		key: record.key,
		token,
		acquiredAt: now,
		expiresAt,
		owner,
		lock,
		record,
		held: true,
		// deadline/heapIndex are added only for leased handles (unleased ones never enter the heap).
		deadline: expiresAt,
	};
	return attachMethods(fields, handleMetatable as never) as unknown as PermitHandle;
}
