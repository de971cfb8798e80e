/** Levenshtein distance, case-insensitive: how many edits turn `a` into `b`. */
function editDistance(a: string, b: string) {
	const left = a.lower();
	const right = b.lower();
	let previous = new Array<number>();
	for (let j = 0; j <= right.size(); j++) previous.push(j);
	for (let i = 1; i <= left.size(); i++) {
		const current = [i];
		for (let j = 1; j <= right.size(); j++) {
			const cost = left.sub(i, i) === right.sub(j, j) ? 0 : 1;
			current.push(math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost));
		}
		previous = current;
	}
	return previous[right.size()];
}

/**
 * The closest of `candidates` to a mistyped `name`, or undefined: at most 2 edits away, or a third
 * of the candidate's length for longer names (so `allowRetries` still finds `allowRetry`).
 *
 * @example
 * ```ts
 * closestName("timout", ["timeout", "join"]); // "timeout"
 * closestName("allowRetries", ["allowRetry"]); // "allowRetry" (3 edits, 10 characters)
 * closestName("zzz", ["timeout"]); // undefined
 * ```
 */
export function closestName(name: string, candidates: ReadonlyArray<string>) {
	let best: string | undefined;
	let bestDistance = math.huge;
	for (const candidate of candidates) {
		const distance = editDistance(name, candidate);
		const limit = math.max(2, math.floor(candidate.size() / 3));
		if (distance <= limit && distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}
	return best;
}
