import { shorten } from "../arguments/describeValue";
import { formatTable } from "../summary/formatTable";
import { formatMilliseconds } from "../summary/milliseconds";
import { QueueEngine } from "./QueueEngine";
import {
	ActiveEntry,
	ExecutionHistoryEntry,
	ExecutionQueueStatus,
	ExecutionStatistics,
	HistoryStatus,
	QueuedEntry,
} from "./QueueTypes";
import { RoomQueue } from "./RoomQueue";

// What the queue shows: status, history, statistics and the F9 summary. Fresh tables every call, so
// a caller (or a RemoteEvent) holding one never sees it change.

/** Rows the summary shows by default. */
export const SUMMARY_ROWS = 20;

/**
 * `GetExecutionStatus(roomId)`.
 *
 * @example
 * ```ts
 * const status = statusOf(engine, "forge_1");
 * ```
 */
export function statusOf(engine: QueueEngine, roomId: string): ExecutionQueueStatus {
	const room = engine.rooms.get(roomId);
	const queued = new Array<QueuedEntry>();
	const active = new Array<ActiveEntry>();
	if (room !== undefined) {
		room.queuedInOrder().forEach((job, index) =>
			queued.push({
				userId: job.userId,
				displayName: job.displayName,
				timestamp: job.timestamp,
				position: index + 1,
			}),
		);
		const running = new Array<{ startTime: number; order: number; entry: ActiveEntry }>();
		for (const job of room.running) {
			const entry = { userId: job.userId, displayName: job.displayName, startTime: job.startTime };
			// Ids grow with requests: among jobs started in the same frame, the earlier request first.
			running.push({ startTime: job.startTime, order: tonumber(job.id.sub(6))!, entry });
		}
		running.sort((a, b) => (a.startTime !== b.startTime ? a.startTime < b.startTime : a.order < b.order));
		for (const item of running) active.push(item.entry);
	}
	return {
		queued,
		active,
		queueLength: queued.size(),
		activeCount: active.size(),
		maxConcurrent: engine.settings.maxConcurrentExecutions,
	};
}

/**
 * `GetExecutionHistory(roomId, limit)`, newest first.
 *
 * @example
 * ```ts
 * historyOf(engine, "forge_1", 5);
 * ```
 */
export function historyOf(engine: QueueEngine, roomId: string, limit: number | undefined) {
	const room = engine.rooms.get(roomId);
	const entries = new Array<ExecutionHistoryEntry>();
	if (room === undefined) return entries;
	for (const job of room.newestFirst(limit ?? math.huge)) {
		entries.push({
			id: job.id,
			userId: job.userId,
			displayName: job.displayName,
			status: job.status as HistoryStatus,
			executionTime: job.executionTime,
			finishedAt: job.finishedAt,
			error: job.error,
		});
	}
	return entries;
}

function statistics(started: number, active: number, completed: number, failed: number): ExecutionStatistics {
	const rate = started > 0 ? math.floor((completed / started) * 10000 + 0.5) / 100 : 0;
	return {
		totalExecutions: started,
		activeExecutions: active,
		completedExecutions: completed,
		failedExecutions: failed,
		successRate: rate,
	};
}

/**
 * `GetStatistics(roomId?)`: one room (zeros for a room that holds nothing), or the whole queue.
 *
 * @example
 * ```ts
 * statisticsOf(engine, "forge_1").successRate; // 96.67
 * ```
 */
export function statisticsOf(engine: QueueEngine, roomId: string | undefined): ExecutionStatistics {
	if (roomId !== undefined) {
		const room = engine.rooms.get(roomId);
		if (room === undefined) return statistics(0, 0, 0, 0);
		return statistics(room.started, room.runningCount, room.completed, room.failed);
	}
	let active = 0;
	for (const [, room] of engine.rooms) active += room.runningCount;
	return statistics(engine.started, active, engine.completed, engine.failed);
}

function business(room: RoomQueue) {
	return room.runningCount + room.queuedCount;
}

/**
 * The summary `printSummary` prints: the queue's totals, then at most `limit` rooms, the busiest
 * first; "... and N more rooms" says what was left out.
 *
 * @example
 * ```ts
 * print(formatQueueSummary(engine, 10));
 * ```
 */
export function formatQueueSummary(engine: QueueEngine, limit: number): string {
	const rooms = new Array<RoomQueue>();
	for (const [, room] of engine.rooms) rooms.push(room);
	rooms.sort((a, b) => (business(a) !== business(b) ? business(a) > business(b) : a.id < b.id));
	const total = statisticsOf(engine, undefined);
	const settings = engine.settings;
	const rows = new Array<Array<unknown>>();
	for (let index = 0; index < math.min(limit, rooms.size()); index++) {
		const room = rooms[index];
		const stats = statisticsOf(engine, room.id);
		rows.push([
			shorten(room.id),
			`${room.runningCount}/${settings.maxConcurrentExecutions}`,
			`${room.queuedCount}/${settings.maxQueueSize}`,
			stats.completedExecutions,
			stats.failedExecutions,
			string.format("%.2f", stats.successRate),
			formatMilliseconds(room.meanDuration()),
		]);
	}
	const title =
		`${settings.name} summary: ${engine.rooms.size()} rooms, ${total.activeExecutions} running, ` +
		`${total.totalExecutions} started, ${total.completedExecutions} completed, ${total.failedExecutions} failed, ` +
		`success ${string.format("%.2f", total.successRate)}%`;
	let text = formatTable(["room", "running", "queued", "completed", "failed", "success %", "mean ms"], rows, {
		title,
		align: ["left", "right", "right", "right", "right", "right", "right"],
		empty: "(no rooms)",
	});
	if (rooms.size() > limit) text += `\n... and ${rooms.size() - limit} more rooms`;
	return text;
}
