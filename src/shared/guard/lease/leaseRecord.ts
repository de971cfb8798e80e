import { LeaseRecord } from "./LeaseTypes";

// The three transforms of a lease's item, pure (MemoryStore may run a transform again on a newer
// value, and an emulated or real transform must not yield). Each returns the new record, or
// undefined to cancel the write (the item is someone else's).

/**
 * This server's Unix time in seconds, millisecond resolution (`os.time()` has whole seconds only).
 *
 * @example
 * ```ts
 * const expiresAt = unixNow() + 30;
 * ```
 */
export function unixNow() {
	return DateTime.now().UnixTimestampMillis / 1000;
}

/**
 * True while `record` holds its key for a reader at `now`: not released and not past its expiry
 * plus the skew allowance (a reader whose clock runs ahead of the writer's waits that much longer).
 *
 * @example
 * ```ts
 * if (record && isHeld(record, unixNow(), 2)) print("held by", record.jobId);
 * ```
 */
export function isHeld(record: LeaseRecord | undefined, now: number, maxClockSkew: number): record is LeaseRecord {
	return record !== undefined && record.released !== true && now < record.expiresAt + maxClockSkew;
}

/**
 * The fencing token of a new holder: one more than the item's, or — when there is no item (first use,
 * or MemoryStore let it expire after `tokenRetention`) — the time in milliseconds, which is larger
 * than any token handed out before as long as fewer than 1,000 holders a second took the key (request
 * units allow far fewer) and the clocks differ by less than the retention.
 *
 * @example
 * ```ts
 * nextToken(undefined, 1790000000.5); // 1790000000500
 * nextToken(record, now);              // record.token + 1
 * ```
 */
export function nextToken(current: LeaseRecord | undefined, now: number) {
	return current !== undefined ? current.token + 1 : math.floor(now * 1000);
}

/** What an acquisition writes: who, for how long, and the label shown in errors. */
export interface TakeRequest {
	readonly owner: string;
	readonly jobId: string;
	readonly ttl: number;
	readonly maxClockSkew: number;
	readonly label: string | undefined;
}

/**
 * Takes the key if it is free, expired, released or already ours (an earlier try of this same
 * acquisition that landed although its call reported an error: same token, same start).
 *
 * @example
 * ```ts
 * map.UpdateAsync(storeKey, (current) => takeTransform(current, request, unixNow()), retention);
 * ```
 */
export function takeTransform(current: LeaseRecord | undefined, request: TakeRequest, now: number) {
	const ours = current !== undefined && current.owner === request.owner && current.released !== true;
	if (!ours && isHeld(current, now, request.maxClockSkew)) return undefined;
	const record: LeaseRecord = {
		owner: request.owner,
		jobId: request.jobId,
		token: ours ? current.token : nextToken(current, now),
		acquiredAt: ours ? current.acquiredAt : now,
		expiresAt: now + request.ttl,
		label: request.label,
	};
	return record;
}

/**
 * Extends our lease (renewal); undefined when the item is no longer ours (released, gone, taken).
 *
 * @example
 * ```ts
 * map.UpdateAsync(storeKey, (current) => renewTransform(current, owner, ttl, unixNow()), retention);
 * ```
 */
export function renewTransform(current: LeaseRecord | undefined, owner: string, ttl: number, now: number) {
	if (current === undefined || current.owner !== owner || current.released === true) return undefined;
	const record: LeaseRecord = { ...current, expiresAt: now + ttl };
	return record;
}

/**
 * Marks our lease released, keeping the token in the item; undefined when it is not ours any more
 * (a newer holder's lease is never touched).
 *
 * @example
 * ```ts
 * map.UpdateAsync(storeKey, (current) => releaseTransform(current, owner, unixNow()), retention);
 * ```
 */
export function releaseTransform(current: LeaseRecord | undefined, owner: string, now: number) {
	if (current === undefined || current.owner !== owner || current.released === true) return undefined;
	const record: LeaseRecord = { ...current, expiresAt: now, released: true };
	return record;
}
