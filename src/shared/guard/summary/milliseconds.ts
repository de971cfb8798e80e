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
 * A figure already in milliseconds as a table cell: one decimal, or "-" when there is none (the
 * startup tree's rows carry milliseconds, as its public report does).
 *
 * @example
 * ```ts
 * formatMillisecondFigure(1000); // "1000.0"
 * formatMillisecondFigure(undefined); // "-"
 * ```
 */
export function formatMillisecondFigure(milliseconds: number | undefined) {
	return milliseconds === undefined ? "-" : string.format("%.1f", milliseconds);
}
