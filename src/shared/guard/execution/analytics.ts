import { percentile } from "./durationSamples";
import { RecordStore } from "./RecordStore";
import { copyError, resultOf, RunRecord } from "./RunRecord";
import { ExecutionAnalytics, ExecutionRecordInfo, GlobalAnalytics, KeyAnalytics } from "./types";

/**
 * The counts the run engine keeps itself; cache hits and runs are counted per key (the hot paths
 * touch nothing else) and removals by the record store, so the global figures are put together on read.
 */
export interface RunTotals {
	refused: number;
	joined: number;
	failed: number;
	timedOut: number;
	cancelled: number;
}

/**
 * A copy of `record` for `GetAllRecords`: changing it, or its `lastError`, changes nothing stored.
 *
 * @example
 * ```ts
 * const info = recordInfo(record);
 * ```
 */
export function recordInfo(record: RunRecord): ExecutionRecordInfo {
	const lastError = record.stats?.lastError;
	return {
		key: record.key,
		status: record.status,
		executionCount: record.executionCount,
		hasResult: resultOf(record) !== undefined,
		startedAt: record.startedAt,
		finishedAt: record.finishedAt,
		lastDuration:
			record.status !== "Running" && record.finishedAt !== undefined && record.startedAt !== undefined
				? record.finishedAt - record.startedAt
				: undefined,
		lastError: lastError !== undefined ? copyError(lastError) : undefined,
	};
}

/**
 * One key's counts and duration percentiles.
 *
 * @example
 * ```ts
 * const stats = keyAnalytics(record);
 * print(stats.p95);
 * ```
 */
export function keyAnalytics(record: RunRecord): KeyAnalytics {
	const stats = record.stats;
	let values = stats?.samples.values ?? [];
	// A key that completed once keeps its only duration in its times (no window allocated).
	const onlySuccess = record.status === "Completed" && stats?.lastError === undefined;
	if (values.isEmpty() && onlySuccess && record.finishedAt !== undefined && record.startedAt !== undefined) {
		values = [record.finishedAt - record.startedAt];
	}
	const cacheHits = stats?.cacheHits ?? 0;
	const refused = stats?.refused ?? 0;
	const joined = stats?.joined ?? 0;
	return {
		status: record.status,
		executions: record.executionCount,
		blocked: cacheHits + refused + joined,
		refused,
		cacheHits,
		failed: stats?.failed ?? 0,
		timedOut: stats?.timedOut ?? 0,
		cancelled: stats?.cancelled ?? 0,
		joined,
		p50: percentile(values, 0.5),
		p95: percentile(values, 0.95),
		samples: values.size(),
	};
}

/**
 * The guard-wide counts: the engine's totals, cache hits and runs summed over the stored keys plus
 * those of removed keys, and the store's removal count.
 *
 * @example
 * ```ts
 * print(globalAnalytics(engine.totals, engine.store).blockedExecutions);
 * ```
 */
export function globalAnalytics(totals: RunTotals, store: RecordStore): GlobalAnalytics {
	let cacheHits = store.removedCacheHits;
	let totalExecutions = store.removedExecutions;
	for (const [, record] of store.all()) {
		cacheHits += record.stats?.cacheHits ?? 0;
		totalExecutions += record.executionCount;
	}
	return {
		totalExecutions,
		blockedExecutions: cacheHits + totals.refused + totals.joined,
		cacheHits,
		refused: totals.refused,
		joined: totals.joined,
		failed: totals.failed,
		timedOut: totals.timedOut,
		cancelled: totals.cancelled,
		removed: store.removed,
	};
}

/**
 * A snapshot of the global counts and every stored key's counts: new tables, safe to keep or change.
 *
 * @example
 * ```ts
 * const analytics = buildAnalytics(engine.totals, engine.store);
 * ```
 */
export function buildAnalytics(totals: RunTotals, store: RecordStore): ExecutionAnalytics {
	const keys = new Map<string, KeyAnalytics>();
	for (const [key, record] of store.all()) keys.set(key, keyAnalytics(record));
	return { global: globalAnalytics(totals, store), keys };
}
