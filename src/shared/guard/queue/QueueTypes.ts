import { GuardError } from "../errors/GuardError";

/**
 * `ExecutionQueue.new(config)`: every limit is per room. Defaults are the seed's.
 *
 * @example
 * ```ts
 * const queue = new ExecutionQueue({ maxConcurrentExecutions: 2, maxQueueSize: 5, executionTimeout: 10 });
 * ```
 */
export interface ExecutionQueueConfig {
	/** Jobs running at once per room (default 3), a whole number ≥ 1. */
	readonly maxConcurrentExecutions?: number;
	/** Jobs waiting per room (default 10), a whole number ≥ 0 (0: only jobs that can start at once). */
	readonly maxQueueSize?: number;
	/** Seconds a job may run before it is stopped (default 30). */
	readonly executionTimeout?: number;
	/** Seconds between two sweeps of old history (default 60); no sweep runs while there is no history. */
	readonly cleanupInterval?: number;
	/** Seconds a finished job stays in the history (default 24 h). */
	readonly historyRetention?: number;
	/** Finished jobs kept per room (default 50), a whole number ≥ 0. */
	readonly historySize?: number;
	/** Shown in the summary title and in messages (default `"ExecutionQueue"`). */
	readonly name?: string;
}

/**
 * Who asks for a job: `{ userId = player.UserId, displayName = player.DisplayName }`.
 *
 * @example
 * ```ts
 * queue.RequestExecution("forge_1", { userId: player.UserId, displayName: player.DisplayName }, craft);
 * ```
 */
export interface QueueUser {
	/** A number (a Roblox UserId) or a non-empty string. */
	readonly userId: number | string;
	readonly displayName: string;
}

/**
 * `RequestExecution`'s options.
 *
 * @example
 * ```ts
 * queue.RequestExecution("arena_1", user, startRound, { priority: 10 }); // ahead of priority 0
 * ```
 */
export interface ExecutionRequestOptions {
	/** Higher runs first; FIFO within one priority (default 0). A finite number. */
	readonly priority?: number;
}

/** Where a job is: queued, running, or how it ended. */
export type ExecutionState = "Queued" | "Running" | "Completed" | "Failed" | "TimedOut" | "Cancelled";

/**
 * Why a job was cancelled: `Cancelled` (its user, through `CancelExecution` / `ticket:Cancel()`),
 * `Left` (`ReleaseUser`), `Stopped` (server code, `StopRunningExecution`), `Destroyed` (`Destroy`).
 */
export type CancelReason = "Cancelled" | "Left" | "Stopped" | "Destroyed";

/**
 * What `RequestExecution` hands back: the job's id, where it stood, and a way to wait for it.
 *
 * @example
 * ```ts
 * const [ticket, err] = queue.RequestExecution("forge_1", user, craft);
 * if (ticket) {
 * 	print(ticket.id, ticket.position); // "exec_7", 0 when it started at once
 * 	const [ok, result] = ticket.Await();
 * }
 * ```
 */
export interface ExecutionTicket {
	/** Unique within the queue: `exec_1`, `exec_2`, … */
	readonly id: string;
	/** 1-based place in the room's queue when it was requested; 0 when it started at once. */
	readonly position: number;
	readonly roomId: string;
	readonly userId: number | string;
	readonly displayName: string;
	readonly priority: number;
	/** Where the job is now. */
	readonly status: ExecutionState;
	/**
	 * Waits until the job ends: `(true, result)`, or `(false, GuardError)` with kind `ExecutionFailed`
	 * (`details.cause`, `details.traceback`), `Timeout` or `Cancelled` (`details.reason`). Returns at once
	 * when it already ended. Called from the job itself: `(false, Reentrant)` instead of waiting forever.
	 *
	 * @example
	 * ```ts
	 * const [ok, result] = ticket.Await();
	 * if (!ok && GuardError.is(result, "Timeout")) warn("took too long");
	 * ```
	 */
	Await(): LuaTuple<[boolean, unknown]>;
	/**
	 * Cancels the job if it is still queued (true); a running or finished job is left alone (false).
	 *
	 * @example
	 * ```ts
	 * if (ticket.Cancel()) print("left the queue");
	 * ```
	 */
	Cancel(): boolean;
	/**
	 * The job's current 1-based place in its room's queue, 0 once it is running or ended. O(queue length).
	 *
	 * @example
	 * ```ts
	 * print(`you are number ${ticket.GetPosition()} in line`);
	 * ```
	 */
	GetPosition(): number;
	/**
	 * Seconds until the job should start: 0 once running or ended; for a queued job, its turn
	 * (`ceil(position / maxConcurrentExecutions)`) times the mean of the room's last 10 execution times;
	 * `undefined` while the room has finished none. O(queue length).
	 *
	 * @example
	 * ```ts
	 * const wait = ticket.GetEstimatedWait();
	 * if (wait !== undefined) print(`about ${math.ceil(wait)} s`);
	 * ```
	 */
	GetEstimatedWait(): number | undefined;
}

/**
 * A queued job in {@link ExecutionQueueStatus}.
 *
 * @example
 * ```ts
 * for (const entry of queue.GetExecutionStatus("forge_1").queued) print(entry.position, entry.displayName);
 * ```
 */
export interface QueuedEntry {
	readonly userId: number | string;
	readonly displayName: string;
	/** `os.clock()` when it was requested. */
	readonly timestamp: number;
	/** 1-based, in the order the jobs will start. */
	readonly position: number;
}

/**
 * A running job in {@link ExecutionQueueStatus}.
 *
 * @example
 * ```ts
 * for (const entry of queue.GetExecutionStatus("forge_1").active) print(entry.displayName, os.clock() - entry.startTime);
 * ```
 */
export interface ActiveEntry {
	readonly userId: number | string;
	readonly displayName: string;
	/** `os.clock()` when it started. */
	readonly startTime: number;
}

/**
 * `GetExecutionStatus(roomId)`: what a room's players see (the seed's shape).
 *
 * @example
 * ```ts
 * const status = queue.GetExecutionStatus("forge_1");
 * print(`${status.activeCount}/${status.maxConcurrent} running, ${status.queueLength} waiting`);
 * ```
 */
export interface ExecutionQueueStatus {
	readonly queued: ReadonlyArray<QueuedEntry>;
	/** In start order. */
	readonly active: ReadonlyArray<ActiveEntry>;
	readonly queueLength: number;
	readonly activeCount: number;
	readonly maxConcurrent: number;
}

/** How a job in the history ended. */
export type HistoryStatus = "Completed" | "Failed" | "TimedOut" | "Cancelled";

/**
 * One finished job in `GetExecutionHistory` (newest first).
 *
 * @example
 * ```ts
 * for (const entry of queue.GetExecutionHistory("forge_1", 5)) print(entry.displayName, entry.status);
 * ```
 */
export interface ExecutionHistoryEntry {
	readonly id: string;
	readonly userId: number | string;
	readonly displayName: string;
	readonly status: HistoryStatus;
	/** Seconds it ran (0 for a job cancelled while queued). */
	readonly executionTime: number;
	/** `os.clock()` when it ended. */
	readonly finishedAt: number;
	/** Failed, TimedOut and Cancelled jobs: the GuardError their ticket resolved with. */
	readonly error?: GuardError;
}

/**
 * `GetStatistics(roomId?)`: the seed's counts, for one room or the whole queue.
 * `totalExecutions` counts jobs that started (running ones included); `failedExecutions` those that
 * threw, timed out or were stopped; `successRate` is completed / total in percent, 2 decimals (0 when
 * nothing started). Jobs cancelled while queued never started and count nowhere here.
 *
 * @example
 * ```ts
 * const stats = queue.GetStatistics("forge_1");
 * print(`${stats.successRate}% of ${stats.totalExecutions}`); // "96.67% of 150"
 * ```
 */
export interface ExecutionStatistics {
	readonly totalExecutions: number;
	readonly activeExecutions: number;
	readonly completedExecutions: number;
	readonly failedExecutions: number;
	readonly successRate: number;
}
