// Luau callers get `local ticket, err = queue:RequestExecution(...)`, the seed's two-value style.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { checkKey, checkSelf, invalidArgument, MAX_KEY_LENGTH } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
import { checkConfig, checkLimit, checkRequest, checkSummaryOptions, checkUserId } from "./queueArguments";
import { QueueEngine, QueueEvents } from "./QueueEngine";
import { formatQueueSummary, historyOf, statisticsOf, statusOf, SUMMARY_ROWS } from "./queueReports";
import {
	ExecutionHistoryEntry,
	ExecutionQueueConfig,
	ExecutionQueueStatus,
	ExecutionRequestOptions,
	ExecutionStatistics,
	ExecutionTicket,
	QueueUser,
} from "./QueueTypes";

function checkQueue(value: unknown, method: string, colonForm: string) {
	checkSelf(value, ExecutionQueue, "ExecutionQueue", method, colonForm);
}

/**
 * Per-room execution queues (seed 004): at most `maxConcurrentExecutions` jobs run per room, at most
 * `maxQueueSize` wait (highest priority first, FIFO within one), one job per user in any room, a
 * timeout that stops the job's thread, history, statistics and events. A room is any string: an
 * arena, a crafting station, a party. No thread per queued job and no polling: a job starts in the
 * frame a slot frees; only a running job that yields has a thread and a timer.
 *
 * @example
 * ```ts
 * const forge = new ExecutionQueue({ maxConcurrentExecutions: 3, maxQueueSize: 10, executionTimeout: 30 });
 * forge.ExecutionCompleted.Connect((ticket, result, seconds) => print(ticket.displayName, "crafted", result));
 * const [ticket, err] = forge.RequestExecution("forge_1", { userId: player.UserId, displayName: player.DisplayName }, () => {
 * 	task.wait(2);
 * 	return "Iron Sword";
 * });
 * if (!ticket) warn(err); // QueueFull, UserBusy or InvalidArgument
 * ```
 */
export class ExecutionQueue {
	/** Fires `(ticket, position)` for every accepted request (position 0: it starts at once, Started follows). */
	public readonly ExecutionQueued: QueueEvents["ExecutionQueued"];
	/** Fires `(ticket)` when a job starts running. */
	public readonly ExecutionStarted: QueueEvents["ExecutionStarted"];
	/** Fires `(ticket, result, executionTime)` when a job's fn returned. */
	public readonly ExecutionCompleted: QueueEvents["ExecutionCompleted"];
	/** Fires `(ticket, error)` when a job's fn threw (ExecutionFailed; `error.details.traceback`). */
	public readonly ExecutionFailed: QueueEvents["ExecutionFailed"];
	/** Fires `(ticket, error)` when a job ran past `executionTimeout` and was stopped (Timeout). */
	public readonly ExecutionTimedOut: QueueEvents["ExecutionTimedOut"];
	/** Fires `(ticket, reason)`: a queued job cancelled (`Cancelled`, `Left`), a running one stopped (`Stopped`), or `Destroyed`. */
	public readonly ExecutionCancelled: QueueEvents["ExecutionCancelled"];
	private readonly engine: QueueEngine;

	/**
	 * @param config per-room limits and times; every field optional (seed defaults 3 / 10 / 30 s / 60 s / 24 h / 50)
	 *
	 * @example
	 * ```ts
	 * const arena = new ExecutionQueue({ maxConcurrentExecutions: 1, name: "ArenaRounds" }); // Luau: ExecutionQueue.new({...})
	 * ```
	 */
	public constructor(config?: ExecutionQueueConfig) {
		this.engine = new QueueEngine(checkConfig(config));
		const events = this.engine.events;
		this.ExecutionQueued = events.ExecutionQueued;
		this.ExecutionStarted = events.ExecutionStarted;
		this.ExecutionCompleted = events.ExecutionCompleted;
		this.ExecutionFailed = events.ExecutionFailed;
		this.ExecutionTimedOut = events.ExecutionTimedOut;
		this.ExecutionCancelled = events.ExecutionCancelled;
	}

	/**
	 * Runs `fn(ticket)` for `user` in `roomId` now if the room has a free slot, else queues it.
	 * Returns `(ticket, nil)`, or `(nil, err)` with nothing changed: `QueueFull` (the room's queue holds
	 * `maxQueueSize`), `UserBusy` (the user has a queued or running job in any room), `InvalidArgument`
	 * (bad input; returned, not thrown, like the other refusals), `Destroyed`.
	 *
	 * @example
	 * ```ts
	 * const [ticket, err] = queue.RequestExecution("arena_1", { userId: 42, displayName: "Alice" }, startRound, { priority: 1 });
	 * // Luau: local ticket, err = queue:RequestExecution("arena_1", { userId = 42, displayName = "Alice" }, startRound)
	 * ```
	 */
	public RequestExecution(
		roomId: string,
		user: QueueUser,
		fn: (ticket: ExecutionTicket) => unknown,
		options?: ExecutionRequestOptions,
	): LuaTuple<[ExecutionTicket | undefined, GuardError | undefined]> {
		if ((getmetatable(this) as unknown) !== ExecutionQueue)
			checkQueue(this, "RequestExecution", "queue:RequestExecution(roomId, user, fn, options)");
		// The common call (a valid room, user and fn, no options) passes these inline tests and skips the
		// checker; anything else goes through it, under pcall, so its InvalidArgument is returned.
		const userId = typeIs(user, "table") ? user.userId : undefined;
		if (
			options !== undefined ||
			!typeIs(roomId, "string") ||
			roomId.size() === 0 ||
			roomId.size() > MAX_KEY_LENGTH ||
			!typeIs(fn, "function") ||
			userId === undefined ||
			!typeIs(user.displayName, "string") ||
			!(
				(typeIs(userId, "number") && userId === userId && math.abs(userId) < math.huge) ||
				(typeIs(userId, "string") && userId.size() > 0 && userId.size() <= 100)
			)
		) {
			const [valid, problem] = pcall(checkRequest, "ExecutionQueue.RequestExecution", roomId, user, fn, options);
			if (!valid) {
				if (GuardError.is(problem)) return $tuple(undefined, problem);
				throw problem;
			}
		}
		return this.engine.request(roomId, user.userId, user.displayName, fn, options?.priority ?? 0);
	}

	/**
	 * Cancels `userId`'s own **queued** job `executionId`: true if it was cancelled. A running job is
	 * never cancelled here, by anyone (seed: "Active executions cannot be cancelled for security");
	 * server code stops one with {@link StopRunningExecution}. Another user's id, an unknown id or a
	 * finished job: false, nothing changed.
	 *
	 * @example
	 * ```ts
	 * cancelRemote.OnServerEvent.Connect((player, id) => queue.CancelExecution(player.UserId, id as string));
	 * ```
	 */
	public CancelExecution(userId: number | string, executionId: string): boolean {
		checkQueue(this, "CancelExecution", "queue:CancelExecution(userId, executionId)");
		checkUserId("ExecutionQueue.CancelExecution", "userId", userId);
		checkKey("ExecutionQueue.CancelExecution", executionId, "executionId");
		const job = this.engine.live.get(executionId);
		if (job === undefined || job.userId !== userId) return false;
		return this.engine.cancelQueued(job, "Cancelled");
	}

	/**
	 * Server code only: stops a **running** job — its thread is cancelled, its slot and its user are
	 * free at once, its ticket resolves `(false, Cancelled)` with `details.reason = "Stopped"`, and the
	 * next queued job starts. Returns false (nothing changed) when the job is not running. Never wire
	 * this to a client remote: players cancel through {@link CancelExecution}.
	 *
	 * @example
	 * ```ts
	 * queue.StopRunningExecution(ticket.id); // an admin ends a stuck round
	 * ```
	 */
	public StopRunningExecution(executionId: string): boolean {
		checkQueue(this, "StopRunningExecution", "queue:StopRunningExecution(executionId)");
		checkKey("ExecutionQueue.StopRunningExecution", executionId, "executionId");
		const job = this.engine.live.get(executionId);
		return job !== undefined && this.engine.stopRunning(job, "Stopped");
	}

	/**
	 * A player left: their queued job is cancelled (reason `Left`); a running one is **left to finish**
	 * (or time out) — stopping it half-way could leave half its work done, such as a craft that took
	 * the materials but not yet gave the item. Returns true if a queued job was cancelled.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => queue.ReleaseUser(player.UserId));
	 * ```
	 */
	public ReleaseUser(userId: number | string): boolean {
		checkQueue(this, "ReleaseUser", "queue:ReleaseUser(userId)");
		checkUserId("ExecutionQueue.ReleaseUser", "userId", userId);
		const job = this.engine.users.get(userId);
		return job !== undefined && this.engine.cancelQueued(job, "Left");
	}

	/**
	 * What the room's players see: `{ queued = {{userId, displayName, timestamp, position}}, active =
	 * {{userId, displayName, startTime}}, queueLength, activeCount, maxConcurrent }` (a fresh table).
	 *
	 * @example
	 * ```ts
	 * statusRemote.FireAllClients(queue.GetExecutionStatus("forge_1"));
	 * ```
	 */
	public GetExecutionStatus(roomId: string): ExecutionQueueStatus {
		checkQueue(this, "GetExecutionStatus", "queue:GetExecutionStatus(roomId)");
		checkKey("ExecutionQueue.GetExecutionStatus", roomId, "roomId");
		return statusOf(this.engine, roomId);
	}

	/**
	 * The room's finished jobs, newest first, at most `limit` (default all kept, ≤ `historySize`):
	 * `{ id, userId, displayName, status, executionTime, finishedAt, error? }`.
	 *
	 * @example
	 * ```ts
	 * for (const entry of queue.GetExecutionHistory("forge_1", 5)) print(entry.displayName, entry.status);
	 * ```
	 */
	public GetExecutionHistory(roomId: string, limit?: number): Array<ExecutionHistoryEntry> {
		checkQueue(this, "GetExecutionHistory", "queue:GetExecutionHistory(roomId, limit)");
		checkKey("ExecutionQueue.GetExecutionHistory", roomId, "roomId");
		checkLimit("ExecutionQueue.GetExecutionHistory", limit);
		return historyOf(this.engine, roomId, limit);
	}

	/**
	 * `{ totalExecutions, activeExecutions, completedExecutions, failedExecutions, successRate }` for
	 * one room, or the whole queue without `roomId` (see {@link ExecutionStatistics}).
	 *
	 * @example
	 * ```ts
	 * print(queue.GetStatistics().successRate); // 96.67
	 * ```
	 */
	public GetStatistics(roomId?: string): ExecutionStatistics {
		checkQueue(this, "GetStatistics", "queue:GetStatistics(roomId)");
		if (roomId !== undefined) checkKey("ExecutionQueue.GetStatistics", roomId, "roomId");
		return statisticsOf(this.engine, roomId);
	}

	/**
	 * The summary table printSummary prints, as a string (at most `limit` rooms, 20 by default).
	 *
	 * @example
	 * ```ts
	 * const text = queue.FormatSummary({ limit: 5 });
	 * ```
	 */
	public FormatSummary(options?: { readonly limit?: number }): string {
		checkQueue(this, "FormatSummary", "queue:FormatSummary(options)");
		checkSummaryOptions("ExecutionQueue.FormatSummary", options);
		return formatQueueSummary(this.engine, options?.limit ?? SUMMARY_ROWS);
	}

	/**
	 * Cancels every queued job and stops every running one (reason `Destroyed`), disconnects the
	 * events; later requests get `(nil, Destroyed)`. Harmless to call twice.
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => queue.Destroy());
	 * ```
	 */
	public Destroy() {
		checkQueue(this, "Destroy", "queue:Destroy()");
		this.engine.destroy();
	}

	/**
	 * Prints the queue's summary for the F9 console: totals, then the busiest rooms (bounded, 20 by
	 * default). A static property, so Luau calls it with a dot: `ExecutionQueue.printSummary(queue)`.
	 *
	 * @example
	 * ```ts
	 * ExecutionQueue.printSummary(queue);
	 * ExecutionQueue.printSummary(queue, { limit: 5 });
	 * ```
	 */
	public static printSummary = (queue: ExecutionQueue, options?: { readonly limit?: number }) => {
		if (!(queue instanceof ExecutionQueue)) {
			invalidArgument(
				"ExecutionQueue.printSummary",
				"queue",
				queue,
				"an ExecutionQueue: ExecutionQueue.printSummary(queue)",
			);
		}
		print(queue.FormatSummary(options));
	};
}
