import { OptionRule, checkOptions, checkSeconds, checkWholeNumber, invalidArgument } from "../arguments/check";

// What the lease accepts, checked up front by the toolkit's one argument checker, so a bad TTL or a
// key MemoryStore would refuse is an InvalidArgument naming it — before any store call, nothing changed.

/** MemoryStore's limits (creator docs, memory-stores): key length and item expiration. */
export const MEMORY_STORE_MAX_KEY_LENGTH = 128;
export const MEMORY_STORE_MAX_EXPIRATION = 3888000;
/** Shortest lease: it is renewed every third of it, and a store call takes a good part of a second. */
export const MIN_LEASE_TTL = 1;
/** Longest clock skew allowance (an hour: beyond it a lease is the wrong tool). */
export const MAX_CLOCK_SKEW = 3600;

const LEASE_RULES: ReadonlyArray<[string, OptionRule]> = [
	["mapName", "string"],
	["leaseTtl", "seconds"],
	["memoryStore", "any"],
	["maxClockSkew", "secondsOrZero"],
	["localMargin", "secondsOrZero"],
	["tokenRetention", "seconds"],
	["random", "random"],
];
const LEASES_RULES = new Map<string, OptionRule>(LEASE_RULES);
const LEASE_LOCK_RULES = new Map<string, OptionRule>([
	...LEASE_RULES,
	["strategy", "string"],
	["maxIdleKeys", "number"],
	["name", "string"],
	["onLockLost", "function"],
	["onAcquired", "function"],
	["onReleased", "function"],
]);

interface LeaseOptionValues {
	readonly mapName?: string;
	readonly leaseTtl?: number;
	readonly memoryStore?: unknown;
	readonly maxClockSkew?: number;
	readonly localMargin?: number;
	readonly tokenRetention?: number;
	readonly maxIdleKeys?: number;
}

/**
 * Throws unless `ttl` is a lease length MemoryStore and the renewal can work with: from
 * {@link MIN_LEASE_TTL} to {@link MEMORY_STORE_MAX_EXPIRATION} seconds.
 *
 * @example
 * ```ts
 * checkLeaseTtl("SeasonJob.TryAcquire", "options.leaseTtl", 30, "season_reset");
 * ```
 */
export function checkLeaseTtl(where: string, argument: string, ttl: unknown, key?: string) {
	checkSeconds(where, argument, ttl, { key });
	if ((ttl as number) < MIN_LEASE_TTL || (ttl as number) > MEMORY_STORE_MAX_EXPIRATION) {
		invalidArgument(
			where,
			argument,
			ttl,
			`from ${MIN_LEASE_TTL} to ${MEMORY_STORE_MAX_EXPIRATION} seconds (MemoryStore's longest expiration, 45 days)`,
			key,
		);
	}
}

/**
 * Throws unless `storeKey` (the lock name prefix and the key) fits MemoryStore's 128 characters.
 *
 * @example
 * ```ts
 * checkStoreKey("SeasonJob.TryAcquire", "SeasonJob/season_reset", "season_reset");
 * ```
 */
export function checkStoreKey(where: string, storeKey: unknown, key?: string) {
	if (typeIs(storeKey, "string") && storeKey.size() > 0 && storeKey.size() <= MEMORY_STORE_MAX_KEY_LENGTH) return;
	const what =
		key !== undefined
			? `at most ${MEMORY_STORE_MAX_KEY_LENGTH} characters with the lock's name prefix ("${storeKey}" is ${tostring(storeKey).size()}); use a shorter key or lock name`
			: `a non-empty string of at most ${MEMORY_STORE_MAX_KEY_LENGTH} characters (MemoryStore's key limit)`;
	invalidArgument(where, "key", key ?? storeKey, what, key);
}

function checkService(where: string, service: unknown) {
	if (service === undefined) return;
	const [ok, hasMap] = pcall(() => typeIs((service as { GetHashMap?: unknown }).GetHashMap, "function"));
	if (ok && hasMap) return;
	invalidArgument(where, "options.memoryStore", service, "a MemoryStoreService (or nil for this server's)");
}

function checkValues(where: string, options: LeaseOptionValues) {
	const ttl = options.leaseTtl ?? 30;
	if (options.leaseTtl !== undefined) checkLeaseTtl(where, "options.leaseTtl", options.leaseTtl);
	if (options.mapName !== undefined && (options.mapName.size() === 0 || options.mapName.size() > 100)) {
		invalidArgument(where, "options.mapName", options.mapName, "a non-empty string of at most 100 characters");
	}
	checkService(where, options.memoryStore);
	const skew = options.maxClockSkew ?? 2;
	if (skew > MAX_CLOCK_SKEW) {
		invalidArgument(where, "options.maxClockSkew", skew, `at most ${MAX_CLOCK_SKEW} seconds`);
	}
	const margin = options.localMargin ?? 1;
	if (margin >= ttl / 3) {
		invalidArgument(
			where,
			"options.localMargin",
			margin,
			`less than a third of leaseTtl (${ttl} s): the lease is renewed every third`,
		);
	}
	if (options.tokenRetention !== undefined) {
		const least = ttl + skew;
		if (options.tokenRetention < least || options.tokenRetention > MEMORY_STORE_MAX_EXPIRATION) {
			invalidArgument(
				where,
				"options.tokenRetention",
				options.tokenRetention,
				`from leaseTtl + maxClockSkew (${least} s) to ${MEMORY_STORE_MAX_EXPIRATION} seconds`,
			);
		}
	}
	if (options.maxIdleKeys !== undefined) checkWholeNumber(where, "options.maxIdleKeys", options.maxIdleKeys, 0, 1e6);
}

/**
 * Checks the options of `new MemoryStoreLeases(options)`.
 *
 * @example
 * ```ts
 * checkLeasesOptions("MemoryStoreLeases.new", options);
 * ```
 */
export function checkLeasesOptions(where: string, options: unknown) {
	checkOptions(where, options, LEASES_RULES);
	if (options !== undefined) checkValues(where, options as LeaseOptionValues);
}

/**
 * Checks the options of `new KeyedLock({ strategy: "MemoryStore", ... })`.
 *
 * @example
 * ```ts
 * checkLeaseLockOptions("KeyedLock.new", options);
 * ```
 */
export function checkLeaseLockOptions(where: string, options: unknown) {
	checkOptions(where, options, LEASE_LOCK_RULES);
	if (options !== undefined) checkValues(where, options as LeaseOptionValues);
}
