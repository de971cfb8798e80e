/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- Luau callers get (result, err) pairs, as everywhere in the toolkit */
import { HttpService } from "@rbxts/services";
import { checkSelf } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
import { backoffDelay } from "../lock/backoff";
import { checkApplyArguments, checkReadArguments, checkStoreOptions } from "./effectArguments";
import { decide, findOp, recordOp, toEnvelope } from "./effectDocument";
import { changeFailedError, conflictError, readFailedError, staleTokenError, storeFailedError } from "./effectErrors";
import { isTransientStoreError, isYieldError } from "./storeErrors";
import {
	ApplyOptions,
	EffectChange,
	EffectDataStore,
	EffectOutcome,
	EffectResult,
	EffectSnapshot,
	EffectStoreOptions,
	FenceToken,
} from "./types";

const DEFAULT_HISTORY = 100;
const DEFAULT_RETRIES = 4;
const DEFAULT_BASE_DELAY = 1;
const DEFAULT_MAX_DELAY = 16;

function checkIsStore(value: unknown, method: string, colonForm: string) {
	checkSelf(value, EffectStore, "EffectStore", method, colonForm);
}

function userIdsFor(keyInfo: DataStoreKeyInfo | undefined, extra: readonly number[] | undefined): number[] | undefined {
	const kept = keyInfo ? keyInfo.GetUserIds() : undefined;
	if (extra === undefined || extra.size() === 0) return kept;
	const ids = kept ? [...kept] : [];
	for (const id of extra) if (!ids.includes(id)) ids.push(id);
	return ids;
}

/**
 * Exactly-once durable effects on a DataStore: `Apply` changes a document and records the operation
 * id in the SAME UpdateAsync, so a retry, a second server, a rejoin, or a write that reported an
 * error but landed never applies twice, and a success returned is committed (a crash after it loses
 * nothing). After an error it reads the key with `UseCache = false` before retrying: a write that
 * landed is found there and not repeated. See README.md for the stored shape and every edge.
 *
 * @example
 * ```ts
 * const ledger = new EffectStore({ dataStore: DataStoreService.GetDataStore("DailyRewards") });
 * const [result, err] = ledger.Apply(`player_${userId}`, `daily_${userId}_${day}`, { amount: 100 },
 * 	(data: { total: number } | undefined, grant) => ({ total: (data?.total ?? 0) + grant.amount }));
 * if (result?.applied) print("granted"); else if (result) print("already granted"); else warn(err);
 * ```
 */
export class EffectStore {
	private readonly dataStore: EffectDataStore;
	private readonly historySize: number;
	private readonly retries: number;
	private readonly baseDelay: number;
	private readonly maxDelay: number;
	private readonly random: Random | (() => number) | undefined;
	private readonly freshRead: DataStoreGetOptions;

	/**
	 * @param options the DataStore (injected), the history bound, the retry policy
	 *
	 * @example
	 * ```ts
	 * new EffectStore({ dataStore: DataStoreService.GetDataStore("Ledger"), historySize: 50, retries: 3 });
	 * ```
	 */
	public constructor(options: EffectStoreOptions) {
		checkStoreOptions(options);
		this.dataStore = options.dataStore as unknown as EffectDataStore;
		this.historySize = options.historySize ?? DEFAULT_HISTORY;
		this.retries = options.retries ?? DEFAULT_RETRIES;
		this.baseDelay = options.baseDelay ?? DEFAULT_BASE_DELAY;
		this.maxDelay = math.max(options.maxDelay ?? DEFAULT_MAX_DELAY, this.baseDelay);
		this.random = options.random;
		this.freshRead = new Instance("DataStoreGetOptions");
		this.freshRead.UseCache = false;
	}

	/**
	 * Applies `change` to the document at `key` once per `opId`, whoever calls and however often.
	 * Costs ONE UpdateAsync when nothing fails; after an error, one `UseCache = false` GetAsync to
	 * verify, then (transient errors only) a retry with backoff. Yields.
	 *
	 * `change(data, payload)` runs inside UpdateAsync: it must not yield, may run more than once
	 * (another server wrote between read and write), and returns the new data (never nil).
	 *
	 * @returns `[result]`: committed — `result.applied` says whether this call's write did it;
	 *   `[undefined, err]`: `IdempotencyConflict` (same op id, other payload), `StaleToken` (fence),
	 *   `ExecutionFailed` (change threw / yielded), `StoreFailed` (retries spent; `details.applied`).
	 *   Bad input throws `InvalidArgument` and touches nothing.
	 *
	 * @example
	 * ```ts
	 * const [result, err] = store.Apply("season", "reset_12", { season: 12 }, (data) => ({ ...data, season: 12 }), {
	 * 	fence: { name: "SeasonJob", token: handle.token },
	 * });
	 * ```
	 */
	public Apply<T, P>(key: string, opId: string, payload: P, change: EffectChange<T, P>, options?: ApplyOptions) {
		checkIsStore(this, "Apply", "effects:Apply(key, opId, payload, change, options?)");
		const print = checkApplyArguments(key, opId, payload, change, options);
		const fence: FenceToken | undefined = options?.fence;
		const extraUserIds = options?.userIds;
		const callId = HttpService.GenerateGUID(false);
		const historySize = this.historySize;

		// What the LAST transform run decided (a conflict re-runs it on a newer value).
		let decision: ReturnType<typeof decide> | undefined;
		let changeError: unknown;
		let changed = false;
		let outcomeData: T | undefined;
		const transform = (
			current: unknown,
			keyInfo: DataStoreKeyInfo | undefined,
		): LuaTuple<[unknown, number[]?, object?]> => {
			changeError = undefined;
			changed = false;
			const envelope = toEnvelope<T>(current);
			decision = decide(envelope.effects, opId, print, fence);
			outcomeData = envelope.data;
			if (decision.kind !== "apply") return $tuple(undefined);
			const [ok, result] = pcall(change, envelope.data, payload);
			if (!ok || result === undefined) {
				changeError = ok ? "change returned nil (return the new data)" : result;
				return $tuple(undefined);
			}
			changed = true;
			envelope.data = result;
			outcomeData = result;
			recordOp(envelope.effects, { id: opId, p: print, c: callId }, historySize, fence);
			// Returning without them would clear the key's user ids and metadata.
			return $tuple(envelope, userIdsFor(keyInfo, extraUserIds), keyInfo?.GetMetadata());
		};

		let attempts = 0;
		while (true) {
			attempts += 1;
			let writtenInfo: DataStoreKeyInfo | undefined;
			const [ok, err] = pcall(() => {
				const [, info] = this.dataStore.UpdateAsync(key, transform);
				writtenInfo = info;
			});
			if (ok) {
				if (changeError !== undefined) return this.fail<T>(changeFailedError(key, opId, changeError));
				const decided = decision!;
				if (decided.kind === "conflict") return this.fail<T>(conflictError(key, opId, decided.record.p, print));
				if (decided.kind === "stale") return this.fail<T>(staleTokenError(key, opId, fence!, decided.highest));
				const applied = decided.kind === "apply" ? changed : decided.record.c === callId;
				return this.succeed<T>({
					key,
					opId,
					applied,
					data: outcomeData,
					verified: false,
					attempts,
					keyInfo: writtenInfo,
				});
			}
			if (isYieldError(err)) return this.fail<T>(changeFailedError(key, opId, "change must not yield"));
			// A failed write does not prove it did not happen: look before retrying.
			const [readOk, stored, readInfo] = this.readFresh(key);
			if (readOk) {
				const envelope = toEnvelope<T>(stored);
				const record = findOp(envelope.effects, opId);
				if (record !== undefined) {
					if (record.p !== print) return this.fail<T>(conflictError(key, opId, record.p, print));
					return this.succeed<T>({
						key,
						opId,
						applied: record.c === callId,
						data: envelope.data,
						verified: true,
						attempts,
						keyInfo: readInfo,
					});
				}
			}
			if (!isTransientStoreError(err) || attempts > this.retries) {
				return this.fail<T>(storeFailedError(key, opId, err, attempts, readOk ? false : undefined));
			}
			task.wait(backoffDelay(attempts, this.baseDelay, this.maxDelay, this.random));
		}
	}

	/**
	 * Reads the document at `key` with `UseCache = false` (retrying transient errors): its data, the
	 * op ids in its history, how many ops it ever applied, its fences. `[undefined, undefined]` for a
	 * key never written. Yields.
	 *
	 * @example
	 * ```ts
	 * const [snapshot] = ledger.Read("player_42");
	 * print(snapshot?.appliedCount, snapshot?.opIds.includes("daily_42_20420"));
	 * ```
	 */
	public Read<T>(key: string): LuaTuple<[EffectSnapshot<T> | undefined, undefined] | [undefined, GuardError]> {
		checkIsStore(this, "Read", "effects:Read(key)");
		checkReadArguments(key);
		let attempts = 0;
		while (true) {
			attempts += 1;
			const [ok, stored, info] = this.readFresh(key);
			if (ok) {
				if (stored === undefined) return $tuple(undefined, undefined);
				const envelope = toEnvelope<T>(stored);
				const opIds = envelope.effects.history.map((record) => record.id);
				const snapshot: EffectSnapshot<T> = {
					key,
					data: envelope.data,
					opIds,
					appliedCount: envelope.effects.applied,
					fences: envelope.effects.fences,
					keyInfo: info,
				};
				return $tuple(snapshot, undefined);
			}
			if (!isTransientStoreError(stored) || attempts > this.retries) {
				return $tuple(undefined, readFailedError(key, stored, attempts));
			}
			task.wait(backoffDelay(attempts, this.baseDelay, this.maxDelay, this.random));
		}
	}

	/** One `UseCache = false` GetAsync: `[true, value, keyInfo]` or `[false, error]`. */
	private readFresh(key: string): LuaTuple<[boolean, unknown, DataStoreKeyInfo | undefined]> {
		let value: unknown;
		let info: DataStoreKeyInfo | undefined;
		const [ok, err] = pcall(() => {
			const [read, readInfo] = this.dataStore.GetAsync(key, this.freshRead);
			value = read;
			info = readInfo;
		});
		if (ok) return $tuple(true, value, info);
		return $tuple(false, err, undefined);
	}

	private succeed<T>(result: EffectResult<T>): EffectOutcome<T> {
		return $tuple(result, undefined);
	}

	private fail<T>(err: GuardError): EffectOutcome<T> {
		return $tuple(undefined, err);
	}
}
