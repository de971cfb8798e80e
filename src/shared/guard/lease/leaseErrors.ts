import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";
import { seconds } from "../lock/lockErrors";
import { LeaseHandle, LeaseRecord } from "./LeaseTypes";

// The GuardErrors and warnings of the lease, worded once. A holder is named by its server's JobId
// and the time it took the key, so a person reading the F9 console can find that server.

/** `2026-09-21T14:13:20Z`, the one way lease messages show a Unix time. */
function isoTime(unix: number) {
	return DateTime.fromUnixTimestamp(math.floor(unix)).ToIsoDate();
}

/** The facts every "held elsewhere" error carries in `details`. */
function holderDetails(key: string, record: LeaseRecord) {
	return {
		key,
		holderJobId: record.jobId,
		holder: record.owner,
		since: record.acquiredAt,
		lockedAt: record.acquiredAt,
		token: record.token,
		expiresAt: record.expiresAt,
		label: record.label,
	};
}

function holderText(key: string, record: LeaseRecord, now: number) {
	const label = record.label !== undefined ? ` for ${shorten(record.label)}` : "";
	return (
		`"${key}" is held by server ${shorten(record.jobId)}${label} since ${isoTime(record.acquiredAt)} ` +
		`(${seconds(math.max(0, now - record.acquiredAt))} ago, token ${record.token})`
	);
}

/**
 * The `(nil, AlreadyRunning)` of an acquisition that found the key held (by another server, or by
 * another acquisition on this one): `details = { key, holderJobId, holder, since, lockedAt, token, expiresAt }`.
 *
 * @example
 * ```ts
 * return $tuple(undefined, heldElsewhere("SeasonJob.TryAcquire", key, record, unixNow()));
 * ```
 */
export function heldElsewhere(where: string, key: string, record: LeaseRecord, now: number) {
	return new GuardError("AlreadyRunning", `${where}: ${holderText(key, record, now)}`, holderDetails(key, record));
}

/**
 * The `Timeout` of an `Acquire` that polled until its timeout: the holder's details when one was seen.
 *
 * @example
 * ```ts
 * return $tuple(undefined, leaseTimedOut(where, key, waited, lastHolder, unixNow()));
 * ```
 */
export function leaseTimedOut(
	where: string,
	key: string,
	waited: number,
	record: LeaseRecord | undefined,
	now: number,
) {
	const held = record !== undefined ? `; ${holderText(key, record, now)}` : "";
	const message =
		waited === 0
			? `${where}: "${key}" is held and timeout is 0${held}`
			: `${where}: gave up waiting for "${key}" after ${seconds(waited)}${held}`;
	return new GuardError("Timeout", message, {
		...(record !== undefined ? holderDetails(key, record) : { key }),
		waited,
	});
}

/**
 * The `StoreFailed` of a MemoryStore call that kept failing (or failed for good).
 *
 * @example
 * ```ts
 * return $tuple(undefined, storeFailed(where, key, "acquire", outcome.failure));
 * ```
 */
export function storeFailed(where: string, key: string, what: string, cause: unknown) {
	return new GuardError(
		"StoreFailed",
		`${where}: the MemoryStore call to ${what} "${key}" failed: ${shorten(tostring(cause))}; nothing is held`,
		{ key, cause },
	);
}

/**
 * The `Cancelled` of a wait that `ReleaseAll` (or a promise cancel) ended.
 *
 * @example
 * ```ts
 * return $tuple(undefined, leaseWaitCancelled(where, key, "ReleaseAll ended it", waited));
 * ```
 */
export function leaseWaitCancelled(where: string, key: string, why: string, waited: number) {
	return new GuardError("Cancelled", `${where}: the wait for "${key}" was cancelled: ${why}`, { key, waited });
}

/**
 * The warning of a lease lost while held (before `onLockLost` runs).
 *
 * @example
 * ```ts
 * warn(leaseLostWarning(name, handle, "AnotherOwner"));
 * ```
 */
export function leaseLostWarning(name: string, handle: LeaseHandle, reason: string) {
	return `${name}: lost the lease on "${handle.key}" (token ${handle.token}): ${reason}; stop the work it guarded`;
}

/**
 * The warning of a `Release()` that found the key no longer ours.
 *
 * @example
 * ```ts
 * warn(staleLeaseReleaseWarning(name, handle));
 * ```
 */
export function staleLeaseReleaseWarning(name: string, handle: LeaseHandle) {
	return (
		`${name}: Release of "${handle.key}" by a stale lease (token ${handle.token}) ignored: it no longer ` +
		`holds the key (released, lost or expired); a newer holder's lease was not touched`
	);
}
