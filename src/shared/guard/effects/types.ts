/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- Luau callers get (result, err) pairs, as everywhere in the toolkit */
import { GuardError } from "../errors/GuardError";

/** The part of a DataStore an EffectStore uses (a real `DataStore` / `GlobalDataStore`, or a fake with these two). */
export interface EffectDataStore {
	UpdateAsync(
		key: string,
		transform: (current: unknown, keyInfo: DataStoreKeyInfo | undefined) => LuaTuple<[unknown, number[]?, object?]>,
	): LuaTuple<[unknown, DataStoreKeyInfo | undefined]>;
	GetAsync(key: string, options?: DataStoreGetOptions): LuaTuple<[unknown, DataStoreKeyInfo | undefined]>;
}

/** Options of `new EffectStore(...)`. */
export interface EffectStoreOptions {
	/** The DataStore holding the documents (inject it: specs pass the emulator's, or another server's). */
	readonly dataStore: GlobalDataStore | EffectDataStore;
	/** Op ids kept per document, oldest dropped past it (default 100; 1 … 10,000). */
	readonly historySize?: number;
	/** Retries after a transient store error (codes 301-306, 500-505), default 4 (0 … 10). */
	readonly retries?: number;
	/** First backoff delay in seconds (default 1), doubling, with equal jitter. */
	readonly baseDelay?: number;
	/** Cap of one backoff delay in seconds (default 16). */
	readonly maxDelay?: number;
	/** Jitter source: a `Random` or a function returning [0, 1) (default `math.random`). */
	readonly random?: Random | (() => number);
}

/** A fencing token: the document keeps the highest token seen per `name`; a lower one is refused. */
export interface FenceToken {
	/** what the token fences (a lease key, a job name), ≤ 50 characters */
	readonly name: string;
	/** the holder's token (e.g. a MemoryStore lease's `handle.token`) */
	readonly token: number;
}

/** Options of one `Apply`. */
export interface ApplyOptions {
	/** Refuse the write (StaleToken) when the document has seen a higher token for `fence.name`. */
	readonly fence?: FenceToken;
	/** User ids to tag the key with (kept with those already there; Roblox allows 4). */
	readonly userIds?: readonly number[];
}

/** What a successful `Apply` returns: the op is in the store, committed. */
export interface EffectResult<T> {
	/** The DataStore key. */
	readonly key: string;
	/** The operation id. */
	readonly opId: string;
	/**
	 * True when THIS call's write recorded the op (also when that write reported an error but had
	 * landed); false when the document already had it (an earlier call, a retry, another server).
	 */
	readonly applied: boolean;
	/** The document's data after the op (as committed, or as the verifying read saw it). */
	readonly data: T | undefined;
	/** True when the outcome was established by a `UseCache = false` read after an error. */
	readonly verified: boolean;
	/** UpdateAsync calls made (1 on the happy path). */
	readonly attempts: number;
	/** The keyInfo of the write or of the verifying read (`UpdatedTime` is the store's clock, ms). */
	readonly keyInfo?: DataStoreKeyInfo;
}

/** What a fresh `Read` returns. */
export interface EffectSnapshot<T> {
	readonly key: string;
	readonly data: T | undefined;
	/** The op ids in the history, oldest first. */
	readonly opIds: readonly string[];
	/** Ops ever applied to this key (the history keeps only the last `historySize`). */
	readonly appliedCount: number;
	/** Highest fencing token seen per name. */
	readonly fences: Readonly<Record<string, number>>;
	readonly keyInfo?: DataStoreKeyInfo;
}

/** `change(data, payload)`: the new data. Runs inside UpdateAsync: it must not yield, and may run more than once. */
export type EffectChange<T, P> = (data: T | undefined, payload: P) => T;

/** `[result, undefined]` or `[undefined, error]`. */
export type EffectOutcome<T> = LuaTuple<[EffectResult<T>, undefined] | [undefined, GuardError]>;
