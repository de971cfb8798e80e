import { formatTable } from "../summary/formatTable";
import { percentile } from "./durationSamples";
import { resultOf, RunRecord } from "./RunRecord";
import { ExecutionAnalytics, ExecutionRecordInfo, GlobalAnalytics, KeyAnalytics } from "./types";

/**
 * A read-only copy of `record` for `GetAllRecords` / `GetRecord`.
 *
 * @example
 * ```ts
 * const info = recordInfo(record);
 * ```
 */
export function recordInfo(record: RunRecord): ExecutionRecordInfo {
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
		lastError: record.stats?.lastError,
	};
}

/**
 * A snapshot of the global counts and each stored key's counts and duration percentiles.
 *
 * @example
 * ```ts
 * const analytics = buildAnalytics(totals, records, 0);
 * ```
 */
export function buildAnalytics(
	totals: GlobalAnalytics,
	records: ReadonlyMap<string, RunRecord>,
	removedCacheHits: number,
): ExecutionAnalytics {
	const keys = new Map<string, KeyAnalytics>();
	for (const [key, record] of records) {
		const stats = record.stats;
		let values = stats?.samples.values ?? [];
		// A key that completed once keeps its only duration in lastDuration (no window allocated).
		const onlySuccess = record.status === "Completed" && stats?.lastError === undefined;
		if (values.isEmpty() && onlySuccess && record.finishedAt !== undefined && record.startedAt !== undefined) {
			values = [record.finishedAt - record.startedAt];
		}
		keys.set(key, {
			status: record.status,
			executions: record.executionCount,
			blocked: stats?.blocked ?? 0,
			cacheHits: stats?.cacheHits ?? 0,
			failed: stats?.failed ?? 0,
			timedOut: stats?.timedOut ?? 0,
			cancelled: stats?.cancelled ?? 0,
			joined: stats?.joined ?? 0,
			p50: percentile(values, 0.5),
			p95: percentile(values, 0.95),
			samples: values.size(),
		});
	}
	const global = table.clone(totals);
	global.cacheHits = removedCacheHits;
	for (const [, record] of records) global.cacheHits += record.stats?.cacheHits ?? 0;
	return { global, keys };
}

function milliseconds(seconds: number | undefined) {
	return seconds === undefined ? "-" : string.format("%.1f", seconds * 1000);
}

/**
 * The text `ExecutionGuard.printSummary` prints: global counts, then one aligned row per key —
 * keys with a problem (failure, timeout, cancel) first, newest problem first, then the others by key.
 * Durations in milliseconds.
 *
 * @example
 * ```ts
 * print(formatSummary(analytics, records));
 * ```
 */
export function formatSummary(analytics: ExecutionAnalytics, records: ReadonlyMap<string, RunRecord>): string {
	const g = analytics.global;
	const ordered = new Array<RunRecord>();
	for (const [, record] of records) ordered.push(record);
	ordered.sort((a, b) => {
		const aProblem = a.stats?.lastProblemAt ?? -math.huge;
		const bProblem = b.stats?.lastProblemAt ?? -math.huge;
		if (aProblem !== bProblem) return aProblem > bProblem;
		return a.key < b.key;
	});
	const rows = ordered.map((record) => {
		const stats = analytics.keys.get(record.key)!;
		return [
			record.key,
			record.status,
			record.executionCount,
			stats.cacheHits,
			stats.blocked,
			stats.joined,
			stats.failed,
			stats.timedOut,
			stats.cancelled,
			milliseconds(stats.p50),
			milliseconds(stats.p95),
			record.stats?.lastError !== undefined ? tostring(record.stats.lastError) : "",
		];
	});
	const header =
		`ExecutionGuard summary: ${records.size()} keys, ${g.totalExecutions} runs, ${g.cacheHits} cache hits, ` +
		`${g.blockedExecutions} blocked, ${g.joined} joined, ${g.failed} failed, ${g.timedOut} timed out, ` +
		`${g.cancelled} cancelled, ${g.removed} removed`;
	return formatTable(
		[
			"key",
			"status",
			"runs",
			"hits",
			"blocked",
			"joined",
			"failed",
			"timeouts",
			"cancels",
			"p50 ms",
			"p95 ms",
			"last problem",
		],
		rows,
		{
			title: header,
			align: [
				"left",
				"left",
				"right",
				"right",
				"right",
				"right",
				"right",
				"right",
				"right",
				"right",
				"right",
				"left",
			],
			empty: "(no records)",
		},
	);
}
