import type { PhaseTiming } from "./types";

/**
 * The guard's own, writable record of one phase's attempts. Callers only ever see a
 * {@link snapshotTiming} copy, so they cannot rewrite the guard's figures.
 *
 * @example
 * ```ts
 * const timing: MutablePhaseTiming = { attempts: 0 };
 * beginAttempt(timing);
 * ```
 */
export interface MutablePhaseTiming {
	attempts: number;
	startedAt?: number;
	finishedAt?: number;
}

/**
 * Counts a new attempt starting now; its end is unknown until {@link endAttempt}.
 *
 * @example
 * ```ts
 * beginAttempt(this.timings.Init);
 * ```
 */
export function beginAttempt(timing: MutablePhaseTiming) {
	timing.attempts += 1;
	timing.startedAt = os.clock();
	timing.finishedAt = undefined;
}

/**
 * Marks the current attempt as ended now (it returned or threw).
 *
 * @example
 * ```ts
 * endAttempt(this.timings.Init);
 * ```
 */
export function endAttempt(timing: MutablePhaseTiming) {
	timing.finishedAt = os.clock();
}

/**
 * A read-only copy with the duration worked out.
 *
 * @example
 * ```ts
 * const { durationSeconds } = snapshotTiming(this.timings.Start);
 * ```
 */
export function snapshotTiming(timing: MutablePhaseTiming): PhaseTiming {
	const { attempts, startedAt, finishedAt } = timing;
	const durationSeconds = startedAt !== undefined && finishedAt !== undefined ? finishedAt - startedAt : undefined;
	return { attempts, startedAt, finishedAt, durationSeconds };
}
