import { GuardError } from "../errors/GuardError";
import { MAX_KEY_LENGTH as LOCK_MAX_KEY_LENGTH } from "../lock/validate";

/**
 * Longest key accepted: the same limit as KeyedLock, since RunOnce and AcquireLock share its keys.
 * Longer keys are almost always a serialised value passed by mistake.
 */
export const MAX_KEY_LENGTH = LOCK_MAX_KEY_LENGTH;

const OPTION_TYPES = new Map<string, keyof CheckableTypes>([
	["timeout", "number"],
	["allowRerun", "boolean"],
	["cacheResult", "boolean"],
	["onTimeout", "function"],
	["join", "boolean"],
	["joinTimeout", "number"],
	["cancelOnTimeout", "boolean"],
]);

const CONFIG_TYPES = new Map<string, keyof CheckableTypes>([
	["resultTtl", "number"],
	["maxRecords", "number"],
	["sampleWindow", "number"],
]);

function describe(value: unknown) {
	if (typeIs(value, "string")) {
		const shown = value.size() > 40 ? `${value.sub(1, 40)}...` : value;
		return `the string "${shown}" (${value.size()} characters)`;
	}
	return `${tostring(value)} (${typeOf(value)})`;
}

function invalid(method: string, message: string, key?: string): never {
	throw new GuardError("InvalidArgument", `${method}: ${message}`, { key });
}

/** Levenshtein distance, to suggest the option name a typo meant. */
function distance(a: string, b: string) {
	let previous = new Array<number>();
	for (let j = 0; j <= b.size(); j++) previous.push(j);
	for (let i = 1; i <= a.size(); i++) {
		const current = [i];
		for (let j = 1; j <= b.size(); j++) {
			const cost = a.sub(i, i).lower() === b.sub(j, j).lower() ? 0 : 1;
			current.push(math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost));
		}
		previous = current;
	}
	return previous[b.size()];
}

function suggestion(name: string, known: ReadonlyMap<string, unknown>) {
	let best: string | undefined;
	let bestDistance = 3;
	for (const [candidate] of known) {
		const d = distance(name, candidate);
		if (d < bestDistance) {
			best = candidate;
			bestDistance = d;
		}
	}
	const names = new Array<string>();
	for (const [candidate] of known) names.push(candidate);
	names.sort();
	return best !== undefined ? ` (did you mean '${best}'?)` : ` (known options: ${names.join(", ")})`;
}

/**
 * Throws `InvalidArgument` unless `key` is a non-empty string of at most {@link MAX_KEY_LENGTH} characters.
 *
 * @example
 * ```ts
 * validateKey("RunOnce", key);
 * ```
 */
export function validateKey(method: string, key: unknown): asserts key is string {
	if (!typeIs(key, "string")) {
		invalid(method, `key must be a non-empty string, got ${describe(key)}`);
	}
	if (key.size() === 0) invalid(method, `key must be a non-empty string, got an empty string`);
	if (key.size() > MAX_KEY_LENGTH) {
		invalid(method, `key must be at most ${MAX_KEY_LENGTH} characters, got ${describe(key)}`);
	}
}

/**
 * Throws `InvalidArgument` unless `fn` is a function.
 *
 * @example
 * ```ts
 * validateFunction("RunOnce", key, fn);
 * ```
 */
export function validateFunction(method: string, key: string, fn: unknown) {
	if (!typeIs(fn, "function")) {
		invalid(method, `fn for key "${key}" must be a function, got ${describe(fn)}`, key);
	}
}

/**
 * Throws `InvalidArgument` unless `value` is a finite number greater than 0.
 *
 * @example
 * ```ts
 * validateSeconds("AcquireLock", "timeout", timeout, key, true);
 * ```
 */
export function validateSeconds(method: string, name: string, value: unknown, key?: string, allowZero = false) {
	const expected = allowZero ? "a finite number of seconds >= 0" : "a finite number of seconds > 0";
	if (!typeIs(value, "number") || value !== value || value === math.huge || value === -math.huge) {
		invalid(method, `${name} must be ${expected}, got ${describe(value)}`, key);
	}
	if (value < 0 || (!allowZero && value === 0)) invalid(method, `${name} must be ${expected}, got ${value}`, key);
}

function validateTable(
	method: string,
	what: string,
	singular: string,
	value: unknown,
	types: ReadonlyMap<string, keyof CheckableTypes>,
	key?: string,
) {
	if (!typeIs(value, "table")) invalid(method, `${what} must be a table, got ${describe(value)}`, key);
	for (const [name, optionValue] of pairs(value)) {
		const expected = typeIs(name, "string") ? types.get(name) : undefined;
		if (expected === undefined) {
			invalid(method, `unknown ${singular} '${tostring(name)}'${suggestion(tostring(name), types)}`, key);
		}
		if (!typeIs(optionValue, expected)) {
			invalid(method, `${singular} '${name}' must be a ${expected}, got ${describe(optionValue)}`, key);
		}
	}
}

/**
 * Checks a RunOnce options table: known names only (with a did-you-mean), right types, sane numbers.
 *
 * @example
 * ```ts
 * validateOptions("RunOnce", "fetch", { timout: 5 }); // InvalidArgument: unknown option 'timout' (did you mean 'timeout'?)
 * ```
 */
export function validateOptions(method: string, key: string, options: unknown) {
	validateTable(method, "options", "option", options, OPTION_TYPES, key);
	const given = options as { timeout?: number; joinTimeout?: number };
	if (given.timeout !== undefined) validateSeconds(method, "timeout", given.timeout, key);
	if (given.joinTimeout !== undefined) validateSeconds(method, "joinTimeout", given.joinTimeout, key, true);
}

/**
 * Checks the constructor's config table.
 *
 * @example
 * ```ts
 * validateConfig({ resultTtl: 60, maxRecords: 1000 });
 * ```
 */
export function validateConfig(config: unknown) {
	const method = "ExecutionGuard.new";
	validateTable(method, "config", "config option", config, CONFIG_TYPES);
	const given = config as { resultTtl?: number; maxRecords?: number; sampleWindow?: number };
	if (given.resultTtl !== undefined) validateSeconds(method, "resultTtl", given.resultTtl);
	for (const name of ["maxRecords", "sampleWindow"] as const) {
		const count = given[name];
		if (count !== undefined && (count < 1 || count % 1 !== 0 || count === math.huge)) {
			invalid(method, `${name} must be a whole number >= 1, got ${count}`);
		}
	}
}
