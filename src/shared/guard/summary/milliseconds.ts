/**
 * `seconds` as milliseconds with one decimal, the unit every toolkit summary prints durations in;
 * `missing` when there is no figure yet.
 *
 * @example
 * ```ts
 * formatMilliseconds(0.25); // "250.0"
 * formatMilliseconds(undefined); // "-"
 * formatMilliseconds(undefined, ""); // ""
 * ```
 */
export function formatMilliseconds(seconds: number | undefined, missing = "-") {
	return seconds === undefined ? missing : string.format("%.1f", seconds * 1000);
}
