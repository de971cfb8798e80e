import { formatMilliseconds } from "../summary/milliseconds";
import { formatTable } from "../summary/formatTable";
import { globalAnalytics, keyAnalytics, RunTotals } from "./analytics";
import { RecordStore } from "./RecordStore";
import { RunRecord } from "./RunRecord";
import { SummaryOptions } from "./types";

/** Rows printed when the caller gives no `limit`: enough to read in the F9 console, never a flood. */
export const DEFAULT_SUMMARY_ROWS = 50;
/** Longest "last problem" cell; an error message can hold a whole serialised value. */
const PROBLEM_CELL = 80;

const HEADERS = ["key", "status", "runs", "hits", "refused", "joined", "failed", "timeouts", "cancels"];
const ALIGN = ["left", "left", "right", "right", "right", "right", "right", "right", "right"] as const;

/** Problems first, newest problem first; then the keys that ran most recently; then by key. */
function shownBefore(a: RunRecord, b: RunRecord) {
	const aProblem = a.stats?.lastProblemAt ?? -math.huge;
	const bProblem = b.stats?.lastProblemAt ?? -math.huge;
	if (aProblem !== bProblem) return aProblem > bProblem;
	const aRecent = a.finishedAt ?? a.startedAt ?? -math.huge;
	const bRecent = b.finishedAt ?? b.startedAt ?? -math.huge;
	if (aRecent !== bRecent) return aRecent > bRecent;
	return a.key < b.key;
}

/**
 * The first `limit` of `records` in summary order, without sorting them all: a guard can hold
 * 100,000 keys, and the rows shown are a few dozen. Returns them and how many matched.
 */
function selectRows(records: ReadonlyMap<string, RunRecord>, options: SummaryOptions): [Array<RunRecord>, number] {
	const limit = options.limit ?? DEFAULT_SUMMARY_ROWS;
	const chosen = new Array<RunRecord>();
	if (options.key !== undefined) {
		const record = records.get(options.key);
		if (record !== undefined) chosen.push(record);
		return [chosen, chosen.size()];
	}
	const prefix = options.prefix;
	const prefixLength = prefix?.size() ?? 0;
	let matched = 0;
	for (const [key, record] of records) {
		if (prefix !== undefined && key.sub(1, prefixLength) !== prefix) continue;
		matched += 1;
		if (chosen.size() >= limit && !shownBefore(record, chosen[limit - 1])) continue;
		// Insertion into the short sorted list; the last one drops out when it is full.
		let index = chosen.size();
		while (index > 0 && shownBefore(record, chosen[index - 1])) index -= 1;
		chosen.insert(index, record);
		if (chosen.size() > limit) chosen.pop();
	}
	return [chosen, matched];
}

function problemCell(record: RunRecord) {
	const lastError = record.stats?.lastError;
	if (lastError === undefined) return "";
	const text = tostring(lastError).gsub("%s+", " ")[0];
	return text.size() > PROBLEM_CELL ? `${text.sub(1, PROBLEM_CELL - 3)}...` : text;
}

/**
 * The text `ExecutionGuard.printSummary` prints: the guard-wide counts, then at most `limit` aligned
 * rows (see {@link SummaryOptions} for the order and the filters), then "... and N more keys".
 * Durations in milliseconds.
 *
 * @example
 * ```ts
 * print(formatSummary(engine.totals, engine.store, { prefix: "player_" }));
 * ```
 */
export function formatSummary(totals: RunTotals, store: RecordStore, options: SummaryOptions = {}): string {
	const g = globalAnalytics(totals, store);
	const records = store.all();
	const [shown, matched] = selectRows(records, options);
	const rows = shown.map((record) => {
		const stats = keyAnalytics(record);
		return [
			record.key,
			record.status,
			record.executionCount,
			stats.cacheHits,
			stats.refused,
			stats.joined,
			stats.failed,
			stats.timedOut,
			stats.cancelled,
			formatMilliseconds(stats.p50),
			formatMilliseconds(stats.p95),
			problemCell(record),
		];
	});
	let title =
		`ExecutionGuard summary: ${records.size()} keys, ${g.totalExecutions} runs, ${g.blockedExecutions} blocked ` +
		`(${g.cacheHits} cache hits, ${g.refused} refused, ${g.joined} joined), ${g.failed} failed, ` +
		`${g.timedOut} timed out, ${g.cancelled} cancelled, ${g.removed} removed`;
	if (options.key !== undefined) title += `; key "${options.key}"`;
	else if (options.prefix !== undefined) title += `; ${matched} keys starting with "${options.prefix}"`;
	const text = formatTable([...HEADERS, "p50 ms", "p95 ms", "last problem"], rows, {
		title,
		align: [...ALIGN, "right", "right", "left"],
		empty: "(no records)",
	});
	const hidden = matched - shown.size();
	return hidden > 0 ? `${text}\n... and ${hidden} more keys` : text;
}
