import { GuardError } from "../errors/GuardError";

/** Longest key a lock accepts (the MemoryStore strategy will need keys ≤ 128 chars with a prefix). */
export const MAX_KEY_LENGTH = 100;

function describe(value: unknown) {
	if (typeIs(value, "string")) return `"${value}" (string of ${value.size()} chars)`;
	if (value === undefined) return "nil";
	return `${tostring(value)} (${typeOf(value)})`;
}

function invalid(where: string, message: string, details: Record<string, unknown>): never {
	throw new GuardError("InvalidArgument", `${where}: ${message}`, details);
}

/** Throws `InvalidArgument` unless `key` is a non-empty string of at most {@link MAX_KEY_LENGTH} chars. */
export function checkKey(key: unknown, where: string): asserts key is string {
	if (typeIs(key, "string") && key.size() > 0 && key.size() <= MAX_KEY_LENGTH) return;
	invalid(where, `key must be a non-empty string of at most ${MAX_KEY_LENGTH} characters, got ${describe(key)}`, {
		argument: "key",
		given: key,
	});
}

/** Throws `InvalidArgument` unless `fn` is a function. */
export function checkFunction(fn: unknown, where: string) {
	if (typeIs(fn, "function")) return;
	invalid(where, `fn must be a function, got ${describe(fn)}`, { argument: "fn", given: fn });
}

/** Throws unless `value` is undefined or a finite number ≥ 0 (> 0 when `positive`). */
export function checkSeconds(value: unknown, name: string, where: string, positive: boolean) {
	if (value === undefined) return;
	if (typeIs(value, "number") && value === value && value < math.huge && (positive ? value > 0 : value >= 0)) return;
	invalid(
		where,
		`option '${name}' must be a finite number of seconds ${positive ? "> 0" : ">= 0"}, got ${describe(value)}`,
		{ argument: name, given: value },
	);
}

/** Throws unless `value` is undefined or a whole number in [min, max]. */
export function checkCount(value: unknown, name: string, where: string, min: number, max: number) {
	if (value === undefined) return;
	if (typeIs(value, "number") && value % 1 === 0 && value >= min && value <= max) return;
	invalid(where, `'${name}' must be a whole number from ${min} to ${max}, got ${describe(value)}`, {
		argument: name,
		given: value,
	});
}

function editDistance(a: string, b: string) {
	let previous = new Array<number>();
	for (let j = 0; j <= b.size(); j++) previous.push(j);
	for (let i = 1; i <= a.size(); i++) {
		const current = [i];
		for (let j = 1; j <= b.size(); j++) {
			const cost = a.sub(i, i) === b.sub(j, j) ? 0 : 1;
			current.push(math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost));
		}
		previous = current;
	}
	return previous[b.size()];
}

/**
 * Throws unless `options` is undefined or a table whose every field is in `allowed` (a typo such as
 * `timout` is an error naming the closest option, not a silently ignored setting).
 */
export function checkOptions(options: unknown, allowed: ReadonlySet<string>, where: string) {
	if (options === undefined) return;
	if (!typeIs(options, "table")) {
		invalid(where, `options must be a table or nil, got ${describe(options)}`, {
			argument: "options",
			given: options,
		});
	}
	for (const [name] of pairs(options as object)) {
		if (typeIs(name, "string") && allowed.has(name)) continue;
		let suggestion = "";
		if (typeIs(name, "string")) {
			let best = 3;
			for (const candidate of allowed) {
				const distance = editDistance(name, candidate);
				if (distance < best) {
					best = distance;
					suggestion = ` (did you mean '${candidate}'?)`;
				}
			}
		}
		const known = [...allowed].sort().join(", ");
		invalid(where, `unknown option '${tostring(name)}'${suggestion}; known options: ${known}`, {
			argument: "options",
			given: name,
		});
	}
}

/** Throws unless `random` is undefined, a `Random` or a function. */
export function checkRandom(random: unknown, where: string) {
	if (random === undefined || typeIs(random, "function") || typeIs(random, "Random")) return;
	invalid(where, `option 'random' must be a Random or a function returning [0, 1), got ${describe(random)}`, {
		argument: "random",
		given: random,
	});
}
