// Which DataStore errors are worth retrying. Roblox's error text starts with its code and a colon
// ("502: API Services rejected the request ..."); the transient ones are those Lyra retries
// (src/dataStoreRetry.luau): 301-306, the throttle queues being full, and 500-505, the service's own
// failures (cross-server-facts.md §1). Everything else — bad input (1xx), access or shutdown (4xx),
// a transform that yielded — would fail the same way again.

/**
 * The numeric code at the start of a DataStore error text, or undefined.
 *
 * @example
 * ```ts
 * errorCode("304: UpdateAsync request dropped..."); // 304
 * ```
 */
export function errorCode(err: unknown): number | undefined {
	const [code] = string.match(tostring(err), "^(%d%d%d):");
	return code !== undefined ? tonumber(code) : undefined;
}

/**
 * True for the errors a retry with backoff can get past (codes 301-306 and 500-505).
 *
 * @example
 * ```ts
 * isTransientStoreError("502: API Services rejected the request"); // true
 * isTransientStoreError("105: ValueTooLarge"); // false
 * ```
 */
export function isTransientStoreError(err: unknown): boolean {
	const code = errorCode(err);
	if (code === undefined) return false;
	return (code >= 301 && code <= 306) || (code >= 500 && code <= 505);
}

/**
 * True when the error says the transform yielded (Roblox refuses, nothing is written).
 *
 * @example
 * ```ts
 * isYieldError("Callbacks cannot yield"); // true
 * ```
 */
export function isYieldError(err: unknown): boolean {
	return string.find(tostring(err), "cannot yield", 1, true)[0] !== undefined;
}
