// The shape an EffectStore keeps under each DataStore key, and the pure decisions the transform makes
// on it (nothing here yields: it runs inside UpdateAsync). The op-id history lives in the SAME value
// as the data, so one UpdateAsync changes both or neither.
//
// Stored value (JSON):
//   { data = <the document's data>,
//     effects = { v = 1,
//                 history = { { id = opId, p = payloadFingerprint, c = callId }, ... },  -- oldest first
//                 fences = { [fenceName] = highestTokenSeen },
//                 applied = <ops ever applied to this key> } }

/** One applied operation as the history keeps it. */
export interface OpRecord {
	/** the operation id */
	readonly id: string;
	/** the payload's fingerprint (fingerprint.ts) */
	readonly p: string;
	/** the id of the Apply call whose write recorded it (tells "my landed write" from another's) */
	readonly c: string;
}

/** The bookkeeping kept beside the data. */
export interface EffectBookkeeping {
	readonly v: 1;
	history: OpRecord[];
	fences: Record<string, number>;
	applied: number;
}

/** The whole stored value. */
export interface EffectEnvelope<T> {
	data?: T;
	effects: EffectBookkeeping;
}

/**
 * True when `value` is an envelope this module wrote (anything else is data written before the key
 * was used through an EffectStore, and is adopted as the data).
 *
 * @example
 * ```ts
 * isEnvelope({ data: 1, effects: { v: 1, history: [], fences: {}, applied: 0 } }); // true
 * ```
 */
export function isEnvelope(value: unknown): value is EffectEnvelope<unknown> {
	if (!typeIs(value, "table")) return false;
	const effects = (value as { effects?: unknown }).effects;
	return typeIs(effects, "table") && (effects as { v?: unknown }).v === 1;
}

/**
 * The stored value as an envelope: an envelope as is, nil as an empty one, other data adopted.
 *
 * @example
 * ```ts
 * toEnvelope(undefined).effects.history.size(); // 0
 * toEnvelope({ coins: 5 }).data; // { coins: 5 } — a key written before it used an EffectStore
 * ```
 */
export function toEnvelope<T>(value: unknown): EffectEnvelope<T> {
	if (isEnvelope(value)) {
		const effects = value.effects;
		effects.history ??= [];
		effects.fences ??= {};
		effects.applied ??= 0;
		return value as EffectEnvelope<T>;
	}
	return { data: value as T | undefined, effects: { v: 1, history: [], fences: {}, applied: 0 } };
}

/**
 * The history record of `opId`, or undefined.
 *
 * @example
 * ```ts
 * findOp(envelope.effects, "daily_42_20420")?.c;
 * ```
 */
export function findOp(effects: EffectBookkeeping, opId: string): OpRecord | undefined {
	// Newest first: a retry is almost always of a recent op.
	const history = effects.history;
	for (let index = history.size() - 1; index >= 0; index--) {
		if (history[index].id === opId) return history[index];
	}
	return undefined;
}

/** What the transform found for one Apply. */
export type Decision =
	| { readonly kind: "duplicate"; readonly record: OpRecord }
	| { readonly kind: "conflict"; readonly record: OpRecord }
	| { readonly kind: "stale"; readonly highest: number }
	| { readonly kind: "apply" };

/**
 * Decides what one Apply does to the envelope: the same op again is a duplicate (nothing written),
 * the same op id with another payload a conflict, a fence token below the highest seen stale; else
 * apply. The op check comes first: a duplicate is reported as such even when its token is stale now
 * (it writes nothing, so the fence has nothing to stop).
 *
 * @example
 * ```ts
 * decide(envelope.effects, "daily_42_20420", fp, { name: "season", token: 7 }).kind; // "apply"
 * ```
 */
export function decide(
	effects: EffectBookkeeping,
	opId: string,
	payloadFingerprint: string,
	fence: { readonly name: string; readonly token: number } | undefined,
): Decision {
	const record = findOp(effects, opId);
	if (record !== undefined) return { kind: record.p === payloadFingerprint ? "duplicate" : "conflict", record };
	if (fence !== undefined) {
		const highest = effects.fences[fence.name];
		if (highest !== undefined && fence.token < highest) return { kind: "stale", highest };
	}
	return { kind: "apply" };
}

/**
 * Records an applied op in the bookkeeping (in place): appended to the history, the oldest dropped
 * past `historySize`, the fence raised to the op's token, the applied count bumped.
 *
 * @example
 * ```ts
 * recordOp(envelope.effects, { id: opId, p: fp, c: callId }, 100, fence);
 * ```
 */
export function recordOp(
	effects: EffectBookkeeping,
	record: OpRecord,
	historySize: number,
	fence: { readonly name: string; readonly token: number } | undefined,
) {
	const history = effects.history;
	history.push(record);
	const excess = history.size() - historySize;
	if (excess > 0) {
		// Move the newest down in one pass (table.remove at the front would shift per removal).
		const kept = history.size() - excess;
		for (let index = 0; index < kept; index++) history[index] = history[index + excess];
		for (let index = history.size() - 1; index >= kept; index--) history.remove(index);
	}
	if (fence !== undefined) {
		const highest = effects.fences[fence.name];
		if (highest === undefined || fence.token > highest) effects.fences[fence.name] = fence.token;
	}
	effects.applied += 1;
}
