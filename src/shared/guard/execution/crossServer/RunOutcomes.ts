import { HttpService } from "@rbxts/services";
import { GuardError, GuardErrorKind } from "../../errors/GuardError";

/** MemoryStore's largest item value, in bytes of its JSON text (`HttpService:JSONEncode`). */
export const MEMORY_STORE_VALUE_LIMIT = 32 * 1024;

/**
 * What a holder writes when its run ends, so joiners on other servers get its outcome without a
 * message, and (with `shareResults`) so other servers reuse its result. One HashMap item per key.
 */
export interface RunOutcome {
	/** The fencing token of the lease the run held: joiners wait for the outcome of that token or later. */
	readonly token: number;
	readonly jobId: string;
	/** Unix seconds (the holder's clock) when the run ended. */
	readonly finishedAt: number;
	readonly ok: boolean;
	/** The run's result, when it returned one that MemoryStore can hold. */
	readonly result?: unknown;
	/** True when `result` is the experience's cached result (`shareResults`, `cacheResult` not false). */
	readonly shared?: boolean;
	/** Why a returned result is not in `result`: too large, or not storable as JSON. */
	readonly unshareable?: "ResultTooLarge" | "ResultNotSerializable";
	/** Bytes of the result's JSON, when it was too large. */
	readonly size?: number;
	/** The error kind and message of a run that did not succeed. */
	readonly errorKind?: GuardErrorKind;
	readonly errorMessage?: string;
}

/**
 * Why `value` cannot be stored as JSON in MemoryStore, or undefined when it can: only nil, booleans,
 * finite numbers, strings, and tables that are arrays (1..n) or have string keys only, nested at most
 * 32 deep, without cycles. Checked by hand because JSONEncode silently turns some values (functions,
 * Instances, sparse arrays) into null or fails differently on different engines.
 *
 * @example
 * ```ts
 * whyNotStorable({ coins: 5 }); // undefined
 * whyNotStorable({ part: workspace }); // "result.part is a Instance"
 * ```
 */
export function whyNotStorable(
	value: unknown,
	path = "result",
	depth = 0,
	seen = new Set<object>(),
): string | undefined {
	if (value === undefined || typeIs(value, "boolean") || typeIs(value, "string")) return undefined;
	if (typeIs(value, "number"))
		return value === value && math.abs(value) < math.huge ? undefined : `${path} is ${value}`;
	if (!typeIs(value, "table")) return `${path} is a ${typeOf(value)}`;
	if (depth >= 32) return `${path} is nested more than 32 tables deep`;
	if (seen.has(value)) return `${path} refers back to a table it is inside (a cycle)`;
	if (getmetatable(value) !== undefined) return `${path} is a table with a metatable (a class instance)`;
	seen.add(value);
	const length = (value as unknown[]).size();
	let count = 0;
	for (const [key, item] of pairs(value)) {
		count += 1;
		const arrayIndex = typeIs(key, "number") && key % 1 === 0 && key >= 1 && key <= length;
		if (!arrayIndex && !typeIs(key, "string")) return `${path} has a ${typeOf(key)} key ${tostring(key)}`;
		const why = whyNotStorable(item, `${path}.${tostring(key)}`, depth + 1, seen);
		if (why !== undefined) return why;
	}
	if (length > 0 && count !== length) return `${path} mixes array items with other keys (or has holes)`;
	seen.delete(value);
	return undefined;
}

/**
 * The typed error of a result the experience cannot share.
 *
 * @example
 * ```ts
 * return $tuple(false, unshareableError("big_key", "ResultTooLarge", 40000, "", result));
 * ```
 */
export function unshareableError(
	key: string,
	kind: "ResultTooLarge" | "ResultNotSerializable",
	size: number | undefined,
	why: string,
	result: unknown,
	jobId?: string,
) {
	const where = jobId !== undefined ? ` (run on server ${jobId})` : "";
	const message =
		kind === "ResultTooLarge"
			? `the result of "${key}"${where} is ${size} bytes as JSON, over MemoryStore's ${MEMORY_STORE_VALUE_LIMIT}-byte ` +
				`limit, so it is not shared with other servers; return a smaller value (an id to load it by), or ` +
				`pass { cacheResult = false } for this key`
			: `the result of "${key}"${where} cannot be stored as JSON (${why}), so it is not shared with other ` +
				`servers; return plain data (strings, numbers, booleans, arrays, string-keyed tables)`;
	return new GuardError(kind, message, { key, size, limit: MEMORY_STORE_VALUE_LIMIT, result, jobId });
}

/**
 * The outcomes HashMap: one item per key with the last run's {@link RunOutcome}. Reads and writes
 * catch store errors (a failed read is "no outcome yet", a failed write is retried twice, then warned
 * about): correctness rests on the lease, this map only hands outcomes over.
 *
 * @example
 * ```ts
 * const outcomes = new RunOutcomes(MemoryStoreService.GetHashMap("ExecutionGuard.Runs"), "Rewards");
 * const last = outcomes.read("daily_reward_42");
 * ```
 */
export class RunOutcomes {
	public constructor(
		private readonly map: MemoryStoreHashMap,
		private readonly prefix: string,
	) {}

	/** The last outcome of `key`, or undefined (none, expired, or the read failed). Yields. */
	public read(key: string): RunOutcome | undefined {
		const [ok, value] = pcall(() => this.map.GetAsync(this.prefix + key));
		if (!ok || !typeIs(value, "table")) return undefined;
		const outcome = value as RunOutcome;
		return typeIs(outcome.token, "number") ? outcome : undefined;
	}

	/**
	 * Builds the outcome item of a run that ended with `(ok, value)`, measuring the result: a result that
	 * is not storable or would make the item larger than MemoryStore's limit is left out and named.
	 *
	 * @example
	 * ```ts
	 * const outcome = outcomes.build(true, result, lease.token, game.JobId, true);
	 * ```
	 */
	public build(ok: boolean, value: unknown, token: number, jobId: string, share: boolean): RunOutcome {
		const finishedAt = DateTime.now().UnixTimestampMillis / 1000;
		if (!ok) {
			const err = GuardError.is(value) ? value : undefined;
			return {
				token,
				jobId,
				finishedAt,
				ok,
				errorKind: err?.kind ?? "ExecutionFailed",
				errorMessage: err !== undefined ? err.message : tostring(value),
			};
		}
		if (value === undefined) return { token, jobId, finishedAt, ok };
		if (whyNotStorable(value) !== undefined)
			return { token, jobId, finishedAt, ok, unshareable: "ResultNotSerializable" };
		const outcome: RunOutcome = { token, jobId, finishedAt, ok, result: value, shared: share ? true : undefined };
		const [encoded, text] = pcall(() => HttpService.JSONEncode(outcome));
		if (!encoded) return { token, jobId, finishedAt, ok, unshareable: "ResultNotSerializable" };
		const size = (text as string).size();
		if (size > MEMORY_STORE_VALUE_LIMIT)
			return { token, jobId, finishedAt, ok, unshareable: "ResultTooLarge", size };
		return outcome;
	}

	/** Writes `outcome` for `key`, kept `expiration` seconds. Yields; false when every try failed. */
	public write(key: string, outcome: RunOutcome, expiration: number): boolean {
		let lastError: unknown;
		for (let attempt = 1; attempt <= 3; attempt++) {
			const [ok, err] = pcall(() => this.map.SetAsync(this.prefix + key, outcome, expiration));
			if (ok) return true;
			lastError = err;
			task.wait(0.5 * attempt);
		}
		warn(
			`[ExecutionGuard] the outcome of "${key}" could not be written to MemoryStore (${tostring(lastError)}); ` +
				`joiners on other servers will find the lease free and run it themselves`,
		);
		return false;
	}
}
