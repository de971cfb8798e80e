import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";
import { LockHandle } from "./LockTypes";

// The GuardErrors and warnings of a failed or lost acquisition, in one place so every path words
// them the same way. Keys are at most MAX_KEY_LENGTH characters (checked on the way in); lock names
// are shortened, since a name is any string the game chose.

/** `12.34 s`: the one way lock messages show a duration. */
export function seconds(value: number) {
	return string.format("%.2f s", value);
}

/**
 * The prefixes of a lock's messages, `TradeLocks.TryAcquire`, built once per lock so no call builds
 * a string before it knows it fails.
 *
 * @example
 * ```ts
 * const labels = methodLabels(engine.name);
 * checkKey(labels.TryAcquire, key);
 * ```
 */
export function methodLabels(name: string) {
	return {
		TryAcquire: `${name}.TryAcquire`,
		Acquire: `${name}.Acquire`,
		AcquireAsync: `${name}.AcquireAsync`,
		WithLock: `${name}.WithLock`,
		RunWithLock: `${name}.RunWithLock`,
		IsLocked: `${name}.IsLocked`,
		GetInfo: `${name}.GetInfo`,
		GetHolder: `${name}.GetHolder`,
		ForceRelease: `${name}.ForceRelease`,
		GetAvailable: `${name}.GetAvailable`,
	};
}

/** The `name` a lock's messages show: the option, shortened (it is any string the game chose). */
export function shownLockName(name: string | undefined, className: string) {
	return name !== undefined ? shorten(name) : className;
}

/**
 * The `(nil, AlreadyRunning)` of a fail-fast attempt on a full key.
 *
 * @example
 * ```ts
 * return $tuple(undefined, alreadyRunning(where, key, 1, holder, os.clock()));
 * ```
 */
export function alreadyRunning(
	where: string,
	key: string,
	permits: number,
	holder: LockHandle | undefined,
	now: number,
) {
	const lockedAt = holder?.acquiredAt;
	const heldFor = lockedAt !== undefined ? ` for ${seconds(now - lockedAt)}` : "";
	const owner = holder?.owner;
	const shownOwner = typeIs(owner, "string") ? shorten(owner) : tostring(owner);
	const what =
		permits > 1
			? `all ${permits} permits of "${key}" are taken`
			: `"${key}" is held by ${shownOwner} (token ${holder?.token})${heldFor}`;
	return new GuardError("AlreadyRunning", `${where}: ${what}`, {
		key,
		lockedAt,
		holder: owner,
		token: holder?.token,
	});
}

/**
 * The `Timeout` of a waiter whose time ran out (`waited` 0: `timeout: 0` on a full key).
 *
 * @example
 * ```ts
 * node.error = waitTimedOut(engine.name, key, waited, holder?.acquiredAt);
 * ```
 */
export function waitTimedOut(where: string, key: string, waited: number, lockedAt: number | undefined) {
	const message =
		waited === 0
			? `${where}: "${key}" is held and timeout is 0`
			: `${where}: gave up waiting for "${key}" after ${seconds(waited)}; it is still held`;
	return new GuardError("Timeout", message, { key, waited, lockedAt });
}

/**
 * The `Cancelled` of a wait ended by a promise cancel or by `ReleaseAll`.
 *
 * @example
 * ```ts
 * node.error = waitCancelled(engine.name, key, "ReleaseAll ended it", waited);
 * ```
 */
export function waitCancelled(where: string, key: string, why: string, waited: number) {
	return new GuardError("Cancelled", `${where}: the wait for "${key}" was cancelled: ${why}`, { key, waited });
}

/**
 * The `Reentrant` of an `Acquire` by the thread that holds the key with no lease and no timeout.
 *
 * @example
 * ```ts
 * return $tuple(undefined, reentrant(where, key, holder));
 * ```
 */
export function reentrant(where: string, key: string, holder: LockHandle) {
	return new GuardError(
		"Reentrant",
		`${where}: this thread already holds "${key}" (token ${holder.token}); waiting for it would never end`,
		{ key, token: holder.token, lockedAt: holder.acquiredAt },
	);
}

/**
 * The warning of a hold that ended without its owner (lease run out, bound thread dead).
 *
 * @example
 * ```ts
 * warn(holdEndedWarning(engine.name, handle, "its lease ran out after 30.00 s"));
 * ```
 */
export function holdEndedWarning(name: string, handle: LockHandle, why: string) {
	return `${name}: "${handle.key}" (token ${handle.token}) is free again: ${why}; that handle is stale`;
}

/**
 * The warning of a `Release()` by a handle that no longer holds its key.
 *
 * @example
 * ```ts
 * warn(staleReleaseWarning(engine.name, handle, oldestHolder(record)));
 * ```
 */
export function staleReleaseWarning(name: string, handle: LockHandle, current: LockHandle | undefined) {
	return (
		`${name}: Release of "${handle.key}" by a stale handle (token ${handle.token}) ignored: it no ` +
		`longer holds the key (released, lease expired, its thread died or ReleaseAll)` +
		(current !== undefined ? `; the key is now held by token ${current.token}` : "")
	);
}
