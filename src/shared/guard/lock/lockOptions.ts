import { OptionRule, checkOptions, checkWholeNumber, invalidArgument } from "../arguments/check";
import { AcquireOptions, KeyedLockOptions, TryAcquireOptions, WithLockOptions } from "./LockTypes";

// What each lock call accepts, checked by the toolkit's one argument checker: a typo or a wrong
// type is an InvalidArgument naming the option, never a silently ignored setting.

const CONSTRUCTOR_RULES = new Map<string, OptionRule>([
	["strategy", "string"],
	["leaseTtl", "seconds"],
	["maxIdleKeys", "number"],
	["name", "string"],
]);
const ACQUIRE_RULES = new Map<string, OptionRule>([
	["timeout", "secondsOrZero"],
	["leaseTtl", "seconds"],
	["owner", "any"],
]);
const POLLING_RULES: ReadonlyArray<[string, OptionRule]> = [
	["retries", "number"],
	["baseDelay", "seconds"],
	["maxDelay", "seconds"],
	["random", "random"],
	["onRetry", "function"],
];
const TRY_RULES = new Map<string, OptionRule>([["leaseTtl", "seconds"], ["owner", "any"], ...POLLING_RULES]);
const WITH_RULES = new Map<string, OptionRule>([...ACQUIRE_RULES, ...POLLING_RULES]);
const POLLING_ONLY = ["baseDelay", "maxDelay", "random", "onRetry"] as const;

/** Options only the MemoryStore strategy takes (a plain lock refuses them by name). */
const MEMORY_STORE_ONLY = [
	"onLockLost",
	"onAcquired",
	"onReleased",
	"memoryStore",
	"mapName",
	"maxClockSkew",
	"localMargin",
	"tokenRetention",
	"random",
] as const;

/** Idle keys kept for their counters when the constructor is not told otherwise. */
export const DEFAULT_MAX_IDLE_KEYS = 256;

/** Most retries one TryAcquire may ask for (more is a loop that should be a queue wait). */
export const MAX_RETRIES = 100;

/**
 * Checks the options of `new KeyedLock(options)` / `new Semaphore(n, options)`.
 *
 * @example
 * ```ts
 * checkConstructorOptions("KeyedLock.new", options);
 * ```
 */
export function checkConstructorOptions(
	where: string,
	options: KeyedLockOptions | undefined,
	strategies: ReadonlyArray<string> = ["Memory"],
) {
	// The MemoryStore strategy checks its own, larger set of options (lease/leaseOptions.ts).
	if (options?.strategy === "MemoryStore" && strategies.includes("MemoryStore")) return;
	if (options !== undefined && typeIs(options, "table")) {
		for (const name of MEMORY_STORE_ONLY) {
			const value = (options as unknown as Record<string, unknown>)[name];
			if (value !== undefined) {
				invalidArgument(
					where,
					`options.${name}`,
					value,
					`left out: it only applies with strategy "MemoryStore"`,
				);
			}
		}
	}
	checkOptions(where, options, CONSTRUCTOR_RULES);
	if (options === undefined) return;
	if (options.strategy !== undefined && !strategies.includes(options.strategy)) {
		const shown = strategies.map((name) => `"${name}"`).join(" or ");
		invalidArgument(where, "options.strategy", options.strategy, `${shown} (the strategies available here)`);
	}
	if (options.maxIdleKeys !== undefined) {
		checkWholeNumber(where, "options.maxIdleKeys", options.maxIdleKeys, 0, 1e6);
	}
}

/**
 * Checks the options of `TryAcquire` (with `retries`, it polls).
 *
 * @example
 * ```ts
 * checkTryOptions("KeyedLock.TryAcquire", options, key);
 * ```
 */
export function checkTryOptions(where: string, options: TryAcquireOptions | undefined, key: string) {
	checkOptions(where, options, TRY_RULES, key);
	if (options?.retries !== undefined)
		checkWholeNumber(where, "options.retries", options.retries, 0, MAX_RETRIES, key);
}

/**
 * Checks the options of `Acquire` / `AcquireAsync` (waits in the queue).
 *
 * @example
 * ```ts
 * checkAcquireOptions("KeyedLock.Acquire", options, key);
 * ```
 */
export function checkAcquireOptions(where: string, options: AcquireOptions | undefined, key: string) {
	checkOptions(where, options, ACQUIRE_RULES, key);
}

/**
 * Checks the options of `WithLock` / `RunWithLock`: queue options or polling options, not both.
 *
 * @example
 * ```ts
 * if (checkWithOptions("KeyedLock.WithLock", options, key)) pollWithBackoff();
 * ```
 * @returns true when the call polls (`retries` given), false when it waits in the queue
 */
export function checkWithOptions(where: string, options: WithLockOptions | undefined, key: string) {
	checkOptions(where, options, WITH_RULES, key);
	if (options === undefined) return false;
	if (options.retries !== undefined) {
		checkWholeNumber(where, "options.retries", options.retries, 0, MAX_RETRIES, key);
		if (options.timeout !== undefined) {
			invalidArgument(
				where,
				"options.retries",
				options.retries,
				"left out when 'timeout' is given: wait in the queue ('timeout') or poll with backoff ('retries'), not both",
				key,
			);
		}
		return true;
	}
	for (const name of POLLING_ONLY) {
		if (options[name] !== undefined) {
			invalidArgument(
				where,
				`options.${name}`,
				options[name],
				"left out: it only applies with 'retries' (polling); without it the call waits in the queue",
				key,
			);
		}
	}
	return false;
}
