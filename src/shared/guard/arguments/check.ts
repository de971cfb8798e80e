import { GuardError } from "../errors/GuardError";
import { describeValue, detailValue, shorten } from "./describeValue";
import { closestName } from "./didYouMean";

// The toolkit's one argument checker: every InvalidArgument has the message form
// `Where: <argument> must be <expected>, got <value>` and the details shape below, whichever
// class raised it, so a caller can handle them all one way.

/**
 * Longest key the toolkit accepts. Longer keys are almost always a serialised value passed by
 * mistake; the MemoryStore strategy also needs room for a prefix under its 128-character limit.
 */
export const MAX_KEY_LENGTH = 100;

/** The `details` of every InvalidArgument error. */
export interface InvalidArgumentDetails {
	readonly [name: string]: unknown;
	/** Which argument or option was wrong: `"key"`, `"fn"`, `"options.timeout"`, `"self"`. */
	readonly argument: string;
	/** What was given (strings shortened to a few dozen characters). */
	readonly given: unknown;
	/** The key the call was about, when there is one (shortened). */
	readonly key?: string;
}

/**
 * Throws the toolkit's InvalidArgument error.
 *
 * @example
 * ```ts
 * invalidArgument("KeyedLock.Acquire", "options.timeout", -1, "a finite number of seconds > 0", "trade_1");
 * // InvalidArgument: KeyedLock.Acquire: options.timeout must be a finite number of seconds > 0, got -1 (number) (key "trade_1")
 * ```
 */
export function invalidArgument(
	where: string,
	argument: string,
	given: unknown,
	expected: string,
	key?: string,
): never {
	const about = key !== undefined ? ` (key "${shorten(key)}")` : "";
	const details: InvalidArgumentDetails = {
		argument,
		given: detailValue(given),
		key: key !== undefined ? shorten(key) : undefined,
	};
	throw new GuardError(
		"InvalidArgument",
		`${where}: ${argument} must be ${expected}, got ${describeValue(given)}${about}`,
		details,
	);
}

/**
 * Throws unless `self` is an instance made by `classTable`: a Luau caller who wrote `guard.RunOnce(...)`
 * instead of `guard:RunOnce(...)` passed the key as `self`, and is told to use `:`.
 *
 * @example
 * ```ts
 * checkSelf(this, ExecutionGuard, "ExecutionGuard", "RunOnce", "guard:RunOnce(key, fn)");
 * ```
 */
export function checkSelf(instance: unknown, classTable: object, className: string, method: string, colonForm: string) {
	if (typeIs(instance, "table") && getmetatable(instance) === classTable) return;
	throw new GuardError(
		"InvalidArgument",
		`${className}.${method} was called with '.' (or on something that is not a ${className}); ` +
			`call it with ':' so the object is passed: ${colonForm}`,
		{ argument: "self", given: detailValue(instance) } satisfies InvalidArgumentDetails,
	);
}

/**
 * Throws unless `key` is a non-empty string of at most {@link MAX_KEY_LENGTH} characters.
 *
 * @example
 * ```ts
 * checkKey("ExecutionGuard.RunOnce", key);
 * ```
 */
export function checkKey(where: string, key: unknown, argument = "key"): asserts key is string {
	if (typeIs(key, "string") && key.size() > 0 && key.size() <= MAX_KEY_LENGTH) return;
	invalidArgument(where, argument, key, `a non-empty string of at most ${MAX_KEY_LENGTH} characters`);
}

/**
 * Throws unless `value` is a function.
 *
 * @example
 * ```ts
 * checkFunction("KeyedLock.WithLock", "fn", fn, key);
 * ```
 */
export function checkFunction(where: string, argument: string, value: unknown, key?: string) {
	if (typeIs(value, "function")) return;
	invalidArgument(where, argument, value, "a function", key);
}

/**
 * Throws unless `value` is a finite number of seconds, > 0 (or ≥ 0 with `allowZero`).
 *
 * @example
 * ```ts
 * checkSeconds("KeyedLock.Acquire", "options.timeout", timeout, { key });
 * ```
 */
export function checkSeconds(
	where: string,
	argument: string,
	value: unknown,
	rules: { readonly allowZero?: boolean; readonly key?: string } = {},
) {
	if (typeIs(value, "number") && value === value && value < math.huge && (rules.allowZero ? value >= 0 : value > 0)) {
		return;
	}
	invalidArgument(
		where,
		argument,
		value,
		`a finite number of seconds ${rules.allowZero ? ">= 0" : "> 0"}`,
		rules.key,
	);
}

/**
 * Throws unless `value` is a whole number from `min` to `max`.
 *
 * @example
 * ```ts
 * checkWholeNumber("Semaphore.new", "permits", permits, 1, 1e6);
 * ```
 */
export function checkWholeNumber(
	where: string,
	argument: string,
	value: unknown,
	min: number,
	max: number,
	key?: string,
) {
	if (typeIs(value, "number") && value % 1 === 0 && value >= min && value <= max) return;
	const range = max === math.huge ? `>= ${min}` : `from ${min} to ${max}`;
	invalidArgument(where, argument, value, `a whole number ${range}`, key);
}

/** What an options table may hold under one name. */
export type OptionRule =
	| keyof CheckableTypes
	/** a finite number of seconds > 0 */
	| "seconds"
	/** a finite number of seconds >= 0 */
	| "secondsOrZero"
	/** a whole number >= 1 */
	| "count"
	/** a `Random` or a function returning [0, 1) */
	| "random"
	/** a function, or `false` to turn the feature off (ServiceRegistry's `output`) */
	| "functionOrFalse"
	/** any value (an `owner` label: a thread, a player, a string) */
	| "any";

/**
 * Throws unless `options` is nil or a table holding only names from `rules`, each with a value of
 * its rule (nil values are allowed: an option left out). A typo (`timout`, `allowRetries`) is an
 * error naming the closest option, never a silently ignored setting.
 *
 * @example
 * ```ts
 * const RULES = new Map<string, OptionRule>([["timeout", "seconds"], ["join", "boolean"]]);
 * checkOptions("ExecutionGuard.RunOnce", options, RULES, key);
 * // InvalidArgument: ExecutionGuard.RunOnce: unknown option 'timout' (did you mean 'timeout'?) …
 * ```
 */
export function checkOptions(
	where: string,
	options: unknown,
	rules: ReadonlyMap<string, OptionRule>,
	key?: string,
	argument = "options",
) {
	if (options === undefined) return;
	if (!typeIs(options, "table")) invalidArgument(where, argument, options, "a table or nil", key);
	for (const [name, value] of pairs(options as object)) {
		const rule = typeIs(name, "string") ? rules.get(name) : undefined;
		if (rule === undefined) unknownOption(where, name, rules, key, argument);
		checkOptionValue(where, `${argument}.${name as string}`, value, rule, key);
	}
}

function unknownOption(
	where: string,
	name: unknown,
	rules: ReadonlyMap<string, OptionRule>,
	key: string | undefined,
	argument: string,
): never {
	const known = new Array<string>();
	for (const [candidate] of rules) known.push(candidate);
	known.sort();
	const closest = typeIs(name, "string") ? closestName(name, known) : undefined;
	const hint = closest !== undefined ? ` (did you mean '${closest}'?)` : "";
	const about = key !== undefined ? ` (key "${shorten(key)}")` : "";
	const details: InvalidArgumentDetails = {
		argument,
		given: detailValue(name),
		key: key !== undefined ? shorten(key) : undefined,
	};
	throw new GuardError(
		"InvalidArgument",
		`${where}: unknown option '${shorten(tostring(name))}'${hint}${about}; known options: ${known.join(", ")}`,
		details,
	);
}

function checkOptionValue(where: string, argument: string, value: unknown, rule: OptionRule, key?: string) {
	if (rule === "any") return;
	if (rule === "seconds") return checkSeconds(where, argument, value, { key });
	if (rule === "secondsOrZero") return checkSeconds(where, argument, value, { allowZero: true, key });
	if (rule === "count") return checkWholeNumber(where, argument, value, 1, math.huge, key);
	if (rule === "random") {
		if (typeIs(value, "function") || typeIs(value, "Random")) return;
		return invalidArgument(where, argument, value, "a Random or a function returning [0, 1)", key);
	}
	if (rule === "functionOrFalse") {
		if (value === false || typeIs(value, "function")) return;
		return invalidArgument(where, argument, value, "a function or false", key);
	}
	if (!typeIs(value, rule)) invalidArgument(where, argument, value, `a ${rule}`, key);
}
