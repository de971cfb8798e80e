// The lifecycle's one conversion of seconds to milliseconds, used by the summary table, the
// startup tree and the registry's report, so the three always agree to the tenth of a ms.

/**
 * `seconds` in milliseconds, or undefined when there is no figure (a phase that did not end).
 *
 * @example
 * ```ts
 * toMilliseconds(1.5); // 1500
 * toMilliseconds(undefined); // undefined
 * ```
 */
export function toMilliseconds(seconds: number | undefined) {
	return seconds === undefined ? undefined : seconds * 1000;
}

/**
 * Milliseconds as a table cell: one decimal, or "-" when there is no figure.
 *
 * @example
 * ```ts
 * formatMilliseconds(1000); // "1000.0"
 * formatMilliseconds(undefined); // "-"
 * ```
 */
export function formatMilliseconds(milliseconds: number | undefined) {
	return milliseconds === undefined ? "-" : string.format("%.1f", milliseconds);
}
