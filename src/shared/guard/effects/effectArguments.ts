import { checkFunction, checkOptions, checkWholeNumber, invalidArgument, OptionRule } from "../arguments/check";
import { fingerprint } from "./fingerprint";
import { ApplyOptions, EffectStoreOptions } from "./types";

/** Roblox's limit on a DataStore key (error 102 KeyNameLimit). */
export const MAX_DATASTORE_KEY = 50;
/** Longest op id (it is stored in the document's history, once per op). */
export const MAX_OP_ID = 100;

const STORE_RULES = new Map<string, OptionRule>([
	["dataStore", "any"],
	["historySize", "count"],
	["retries", "number"],
	["baseDelay", "seconds"],
	["maxDelay", "seconds"],
	["random", "random"],
]);

const APPLY_RULES = new Map<string, OptionRule>([
	["fence", "table"],
	["userIds", "table"],
]);

/**
 * True for a DataStore Instance, or any table or userdata with an UpdateAsync (and GetAsync) function
 * (a fake or a wrapper; the emulator's bench environment reads emulated Instances as userdata).
 *
 * @example
 * ```ts
 * looksLikeDataStore(DataStoreService.GetDataStore("Ledger"), true); // true
 * ```
 */
export function looksLikeDataStore(value: unknown, needsGetAsync: boolean): boolean {
	if (typeIs(value, "Instance")) return value.IsA("GlobalDataStore");
	if (!typeIs(value, "table") && !typeIs(value, "userdata")) return false;
	const [ok, usable] = pcall(() => {
		const store = value as { UpdateAsync?: unknown; GetAsync?: unknown };
		return typeIs(store.UpdateAsync, "function") && (!needsGetAsync || typeIs(store.GetAsync, "function"));
	});
	return ok && usable === true;
}

/**
 * Checks `new EffectStore(options)`.
 *
 * @example
 * ```ts
 * checkStoreOptions({ dataStore: DataStoreService.GetDataStore("DailyRewards") });
 * ```
 */
export function checkStoreOptions(options: unknown): asserts options is EffectStoreOptions {
	const where = "EffectStore.new";
	if (!typeIs(options, "table")) invalidArgument(where, "options", options, "a table with a dataStore");
	checkOptions(where, options, STORE_RULES);
	const typed = options as EffectStoreOptions;
	if (!looksLikeDataStore(typed.dataStore, true)) {
		invalidArgument(
			where,
			"options.dataStore",
			typed.dataStore,
			'a DataStore (DataStoreService:GetDataStore("Name")) or a table with UpdateAsync and GetAsync',
		);
	}
	if (typed.historySize !== undefined) checkWholeNumber(where, "options.historySize", typed.historySize, 1, 10_000);
	if (typed.retries !== undefined) checkWholeNumber(where, "options.retries", typed.retries, 0, 10);
}

function checkDataStoreKey(where: string, key: unknown): asserts key is string {
	if (typeIs(key, "string") && key.size() > 0 && key.size() <= MAX_DATASTORE_KEY) return;
	invalidArgument(
		where,
		"key",
		key,
		`a non-empty string of at most ${MAX_DATASTORE_KEY} characters (a DataStore key)`,
	);
}

/**
 * Checks `Read(key)`.
 *
 * @example
 * ```ts
 * checkReadArguments("player_42");
 * ```
 */
export function checkReadArguments(key: unknown): asserts key is string {
	checkDataStoreKey("EffectStore.Read", key);
}

/**
 * Checks `Apply(key, opId, payload, change, options)`; returns the payload's fingerprint.
 *
 * @example
 * ```ts
 * const fp = checkApplyArguments("player_42", "daily_42_20420", { amount: 100 }, grant, undefined);
 * ```
 */
export function checkApplyArguments(
	key: unknown,
	opId: unknown,
	payload: unknown,
	change: unknown,
	options: unknown,
): string {
	const where = "EffectStore.Apply";
	checkDataStoreKey(where, key);
	if (!typeIs(opId, "string") || opId.size() === 0 || opId.size() > MAX_OP_ID || utf8.len(opId)[0] === undefined) {
		invalidArgument(where, "opId", opId, `a non-empty UTF-8 string of at most ${MAX_OP_ID} characters`, key);
	}
	checkFunction(where, "change", change, key);
	checkOptions(where, options, APPLY_RULES, key);
	const typed = (options ?? {}) as ApplyOptions;
	if (typed.fence !== undefined) {
		const fence = typed.fence as { name?: unknown; token?: unknown };
		if (!typeIs(fence.name, "string") || fence.name.size() === 0 || fence.name.size() > MAX_DATASTORE_KEY) {
			invalidArgument(
				where,
				"options.fence.name",
				fence.name,
				"a non-empty string of at most 50 characters",
				key,
			);
		}
		const token = fence.token;
		if (!typeIs(token, "number") || token !== token || token === math.huge || token === -math.huge) {
			invalidArgument(where, "options.fence.token", token, "a finite number (the lease's fencing token)", key);
		}
	}
	if (typed.userIds !== undefined) {
		for (const [index, userId] of pairs(typed.userIds as unknown as object)) {
			if (!typeIs(userId, "number") || userId % 1 !== 0) {
				invalidArgument(where, `options.userIds[${index}]`, userId, "a whole-number user id", key);
			}
		}
	}
	const [print, problem] = fingerprint(payload);
	if (print === undefined) invalidArgument(where, "payload", payload, `JSON-storable data (${problem})`, key);
	return print;
}
