// A ticket's Await returns two values to Luau callers: `local ok, result = ticket:Await()`.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { checkSelf } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
import { DeadlineEntry } from "../timing/DeadlineHeap";
import { ExecutionState, ExecutionTicket } from "./QueueTypes";

/** What a job asks of the queue that owns it (an interface, so this file needs no import of the engine). */
export interface JobOwner {
	cancelQueued(job: QueueJob, reason: "Cancelled"): boolean;
	positionOf(job: QueueJob): number;
	estimatedWaitOf(job: QueueJob): number | undefined;
}

/** The bucket of one priority in a room's queue (see RoomQueue). */
export interface PriorityBucket {
	readonly priority: number;
	head?: QueueJob;
	tail?: QueueJob;
	count: number;
}

/**
 * One job, from request to end, and the ticket its requester holds (one table for both: a job costs
 * one allocation). The fields past the public ones belong to the queue; a finished job keeps only
 * what its ticket and the history show (`fn`, the thread and the waiters are dropped).
 *
 * @example
 * ```ts
 * const job = QueueJob.create(owner, "exec_1", "forge_1", user.userId, user.displayName, 0, craft, os.clock());
 * ```
 */
export class QueueJob implements ExecutionTicket, DeadlineEntry {
	// The fields are declared here and written once, all together, by `create`: a constructor that
	// assigned them one by one grew the table through 1, 2, 4, 8 and 16 slots, five rehashes per job.
	public readonly owner!: JobOwner;
	public readonly id!: string;
	public readonly roomId!: string;
	public readonly userId!: number | string;
	public readonly displayName!: string;
	public readonly priority!: number;
	/** The job; undefined once it ended. */
	public fn!: ((ticket: ExecutionTicket) => unknown) | undefined;
	public readonly timestamp!: number;
	public position!: number;
	public status!: ExecutionState;
	/** The job's timeout (`os.clock()`), while it runs and has yielded. */
	public deadline!: number;
	public heapIndex?: number;
	public startTime!: number;
	public finishedAt!: number;
	public executionTime!: number;
	public result?: unknown;
	public error?: GuardError;
	/** The thread running `fn`, while the job runs. */
	public thread?: thread;
	/** Threads in `Await`, created on the first one. */
	public waiters?: Array<thread>;
	/** Neighbours in its priority bucket while queued (doubly linked: O(1) removal). */
	public previous?: QueueJob;
	public next?: QueueJob;
	public bucket?: PriorityBucket;

	private constructor() {}

	/**
	 * A new queued job: one table literal with room for the fields a job that runs and completes
	 * fills (16), made a QueueJob by its metatable.
	 *
	 * @param owner the queue (as {@link JobOwner})
	 *
	 * @example
	 * ```ts
	 * const job = QueueJob.create(engine, "exec_1", "forge_1", user.userId, user.displayName, 0, craft, os.clock());
	 * ```
	 */
	public static create(
		owner: JobOwner,
		id: string,
		roomId: string,
		userId: number | string,
		displayName: string,
		priority: number,
		fn: (ticket: ExecutionTicket) => unknown,
		timestamp: number,
	): QueueJob {
		const fields = {
			owner,
			id,
			roomId,
			userId,
			displayName,
			priority,
			fn,
			timestamp,
			position: 0,
			status: "Queued",
			deadline: 0,
			startTime: 0,
			finishedAt: 0,
			executionTime: 0,
			// Written when it starts and when it ends: kept in the literal so the table is made big enough.
			thread: undefined,
			result: undefined,
		};
		return setmetatable(fields, QueueJob as never) as unknown as QueueJob;
	}

	/**
	 * Waits until the job ends; see {@link ExecutionTicket.Await}.
	 *
	 * @example
	 * ```ts
	 * const [ok, result] = ticket.Await();
	 * ```
	 */
	public Await(): LuaTuple<[boolean, unknown]> {
		if ((getmetatable(this) as unknown) !== QueueJob) checkTicket(this, "Await", "ticket:Await()");
		if (this.status === "Completed") return $tuple(true, this.result);
		if (this.status !== "Queued" && this.status !== "Running") return $tuple(false, this.error);
		const running = coroutine.running();
		if (running === this.thread) {
			const message = `ticket:Await() was called by job ${this.id} itself; it would wait for its own end`;
			return $tuple(false, new GuardError("Reentrant", message, { key: this.roomId, executionId: this.id }));
		}
		if (this.waiters === undefined) this.waiters = [running];
		else this.waiters.push(running);
		coroutine.yield();
		if ((this.status as ExecutionState) === "Completed") return $tuple(true, this.result);
		return $tuple(false, this.error);
	}

	/**
	 * Cancels the job while it is queued; see {@link ExecutionTicket.Cancel}.
	 *
	 * @example
	 * ```ts
	 * ticket.Cancel();
	 * ```
	 */
	public Cancel(): boolean {
		if ((getmetatable(this) as unknown) !== QueueJob) checkTicket(this, "Cancel", "ticket:Cancel()");
		return this.owner.cancelQueued(this, "Cancelled");
	}

	/**
	 * The job's current place in the queue; see {@link ExecutionTicket.GetPosition}.
	 *
	 * @example
	 * ```ts
	 * ticket.GetPosition();
	 * ```
	 */
	public GetPosition(): number {
		if ((getmetatable(this) as unknown) !== QueueJob) checkTicket(this, "GetPosition", "ticket:GetPosition()");
		return this.owner.positionOf(this);
	}

	/**
	 * Seconds until it should start; see {@link ExecutionTicket.GetEstimatedWait}.
	 *
	 * @example
	 * ```ts
	 * ticket.GetEstimatedWait();
	 * ```
	 */
	public GetEstimatedWait(): number | undefined {
		if ((getmetatable(this) as unknown) !== QueueJob)
			checkTicket(this, "GetEstimatedWait", "ticket:GetEstimatedWait()");
		return this.owner.estimatedWaitOf(this);
	}

	/**
	 * Resumes every thread in `Await` (the job just ended) and drops what an ended job no longer needs.
	 *
	 * @example
	 * ```ts
	 * QueueJob.settle(job);
	 * ```
	 */
	public static settle(job: QueueJob) {
		job.fn = undefined;
		job.thread = undefined;
		const waiters = job.waiters;
		if (waiters === undefined) return;
		job.waiters = undefined;
		// A waiter killed while it waited (task.cancel, its player left) is skipped, not resumed.
		for (const waiter of waiters) if (coroutine.status(waiter) === "suspended") task.spawn(waiter);
	}
}

function checkTicket(value: unknown, method: string, colonForm: string) {
	checkSelf(value, QueueJob, "ExecutionTicket", method, colonForm);
}
