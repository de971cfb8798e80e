/** Default delay before the first retry, in seconds (seed 003: 100 ms, doubling). */
export const DEFAULT_BASE_DELAY = 0.1;
/** Default cap of one delay, in seconds (seed 001 caps at 30 s). */
export const DEFAULT_MAX_DELAY = 30;

/** Draws a number in [0, 1) from a `Random`, a function, or `math.random` when none is given. */
export function drawUnit(random: Random | (() => number) | undefined): number {
	if (random === undefined) return math.random();
	if (typeIs(random, "function")) return random();
	return random.NextNumber();
}

/**
 * Delay before retry number `retry` (1-based): `base × 2^(retry-1)` capped at `max`, with "equal
 * jitter" — half of it fixed, half random. Racing servers/threads spread out (the random half) while
 * each caller's delays still never shrink (the fixed half of the next delay ≥ the whole of this
 * one until the cap).
 *
 * @example
 * ```ts
 * backoffDelay(1, 0.1, 30, new Random(7)); // somewhere in [0.05, 0.1)
 * backoffDelay(3, 0.1, 30, new Random(7)); // somewhere in [0.2, 0.4)
 * ```
 */
export function backoffDelay(
	retry: number,
	baseDelay: number,
	maxDelay: number,
	random: Random | (() => number) | undefined,
) {
	const full = math.min(maxDelay, baseDelay * 2 ** (retry - 1));
	return full / 2 + (full / 2) * drawUnit(random);
}
