/**
 * A bounded window of the last N durations of one key, kept as a ring in a plain array so a key
 * that runs a million times still holds only N numbers.
 *
 * @example
 * ```ts
 * const window = { values: [], next: 0 };
 * addSample(window, 0.2, 32);
 * print(percentile(window.values, 0.95));
 * ```
 */
export interface SampleWindow {
	readonly values: Array<number>;
	/** Index the next sample overwrites once the window is full. */
	next: number;
}

/** Records `seconds` in `window`, overwriting the oldest sample once `capacity` are held. */
export function addSample(window: SampleWindow, seconds: number, capacity: number) {
	const values = window.values;
	if (values.size() < capacity) {
		values.push(seconds);
	} else {
		values[window.next] = seconds;
		window.next = (window.next + 1) % capacity;
	}
}

/**
 * Nearest-rank percentile (`fraction` in (0, 1]) of `values`; undefined when there are none.
 * Sorts a copy: this runs for summaries, not on the hot path.
 *
 * @example
 * ```ts
 * percentile([0.1, 0.2, 0.3, 0.4], 0.5); // 0.2
 * ```
 */
export function percentile(values: ReadonlyArray<number>, fraction: number): number | undefined {
	const count = values.size();
	if (count === 0) return undefined;
	const sorted = [...values];
	sorted.sort();
	const rank = math.clamp(math.ceil(fraction * count), 1, count);
	return sorted[rank - 1];
}
