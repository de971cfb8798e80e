import { backoffDelay } from "../lock/backoff";

// Which MemoryStore failures are worth another try, and the retry loop for one store call.

/**
 * Substrings of MemoryStore errors that are transient: Lyra's list (src/hashMapRetry.luau:
 * TotalRequestsOverLimit, InternalError, RequestThrottled, PartitionRequestsOverLimit, Throttled,
 * Timeout) plus UpdateConflict / DataUpdateConflict — a compare-and-set that lost to other writers too
 * often; trying again reads the newer value, which is what a lease wants. Anything else (InvalidRequest,
 * ItemValueSizeTooLarge, TotalMemoryOverLimit, AccessDenied, a bug in our transform) fails at once.
 */
export const TRANSIENT_ERROR_PARTS = [
	"TotalRequestsOverLimit",
	"InternalError",
	"RequestThrottled",
	"PartitionRequestsOverLimit",
	"Throttled",
	"Timeout",
	"UpdateConflict",
	"DataUpdateConflict",
] as const;

/**
 * True when a MemoryStore error is worth retrying (see {@link TRANSIENT_ERROR_PARTS}).
 *
 * @example
 * ```ts
 * isTransientStoreError("RequestThrottled: Recent MemoryStores requests hit one or more limits"); // true
 * isTransientStoreError("InvalidRequest: key too long"); // false
 * ```
 */
export function isTransientStoreError(err: unknown) {
	const text = tostring(err);
	for (const part of TRANSIENT_ERROR_PARTS) {
		if (text.find(part, 1, true)[0] !== undefined) return true;
	}
	return false;
}

/** How one store call is retried. */
export interface StoreRetryPolicy {
	/** Most attempts in all (at least 1). */
	readonly attempts: number;
	/** `os.clock()` after which no new attempt starts (undefined: no deadline). */
	readonly deadline?: number;
	/** First backoff wait in seconds; doubles per retry. */
	readonly baseDelay: number;
	/** Longest backoff wait in seconds. */
	readonly maxDelay: number;
	readonly random?: Random | (() => number);
}

/**
 * Calls `call` until it returns, retrying transient errors with exponential backoff and equal jitter
 * (lock/backoff.ts), within the policy's attempts and deadline. Yields. Returns `[true, value]`, or
 * `[false, lastError]` for a permanent error or when the attempts or the time ran out.
 *
 * @example
 * ```ts
 * const [ok, value] = callWithRetry({ attempts: 4, baseDelay: 0.5, maxDelay: 4 }, () => map.GetAsync(key));
 * ```
 */
export function callWithRetry<T>(policy: StoreRetryPolicy, call: () => T): [true, T] | [false, unknown] {
	for (let attempt = 1; ; attempt++) {
		const [ok, value] = pcall(call);
		if (ok) return [true, value];
		if (attempt >= policy.attempts || !isTransientStoreError(value)) return [false, value];
		const delay = backoffDelay(attempt, policy.baseDelay, policy.maxDelay, policy.random);
		if (policy.deadline !== undefined && os.clock() + delay >= policy.deadline) return [false, value];
		task.wait(delay);
	}
}
