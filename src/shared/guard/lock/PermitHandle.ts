import { checkSelf } from "../arguments/check";
import { KeyRecord } from "./KeyRecord";
import { LockDeadline } from "./lockDeadlines";
import { LockHandle } from "./LockTypes";

/**
 * The in-memory handle: the public {@link LockHandle} plus what its engine needs. The engine is
 * reached through `record.engine` (one field less to fill per acquisition).
 */
export interface PermitHandle extends LockHandle, LockDeadline {
	/** The lease end, for the deadline heap (leased handles only: unleased ones never enter the heap). */
	deadline: number;
	readonly record: KeyRecord;
	/** True until released, expired, abandoned or taken by ReleaseAll. */
	held: boolean;
	/** The thread whose death ends this hold (a waiter not yet resumed, a WithLock); absent otherwise. */
	bound?: thread;
}

function describeHandle(handle: PermitHandle) {
	return `LockHandle("${handle.key}", token ${handle.token})`;
}

// A handle is built with one table constructor and finds its methods in one of these shared
// metatables (their `__index` tables are filled in PermitEngine.ts, whose state the methods change):
// an acquisition allocates exactly one table (no closures, no per-field rehash of a class constructor).
export const unleasedMetatable: { __index?: object; __tostring: typeof describeHandle } = {
	__tostring: describeHandle,
};
export const leasedMetatable: { __index?: object; __tostring: typeof describeHandle } = {
	__tostring: describeHandle,
};

/** A Luau `handle.Release()` passes no handle: tell the caller to use ':' instead of failing on nil. */
export function checkHandle(value: unknown, method: string) {
	checkSelf(value, unleasedMetatable, "LockHandle", method, `handle:${method}()`);
}

/** True when `value` is a handle made by a KeyedLock or Semaphore. */
export function isPermitHandle(value: unknown): value is PermitHandle {
	const metatable = getmetatable(value as object) as unknown;
	return metatable === unleasedMetatable || metatable === leasedMetatable;
}

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
		return setmetatable(fields, unleasedMetatable as never) as unknown as PermitHandle;
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
	return setmetatable(fields, leasedMetatable as never) as unknown as PermitHandle;
}
