/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- request hands ExecutionQueue (job, refusal) as two values, not a table per call */
// Past 300 lines on purpose: a job's whole life (request, start, finish, time-out, stop, cancel, the
// sweep) moves the same counts and maps (rooms, users, live jobs) and must keep them in step; the rooms'
// buckets, the job record, the argument checks and the reports live in files of their own.
import Signal from "@rbxts/lemon-signal";
import { GuardError } from "../errors/GuardError";
import { captureTraceback, lastTraceback } from "../errors/traceback";
import { DeadlineHeap } from "../timing/DeadlineHeap";
import { QueueSettings } from "./queueArguments";
import {
	cancelledError,
	destroyedError,
	failedError,
	queueFullError,
	timeoutError,
	userBusyError,
} from "./queueErrors";
import { JobOwner, QueueJob } from "./QueueJob";
import { CancelReason, ExecutionTicket } from "./QueueTypes";
import { RoomQueue } from "./RoomQueue";

// The queue's state machine: every rule of a job's life (request, start, end, timeout, stop, cancel,
// the next job's start, the history sweep) lives here once; ExecutionQueue checks and delegates.

/** Every running job's timeout, in one heap for all queues of the server: one timer thread, no polling. */
const queueDeadlines = new DeadlineHeap<QueueJob>((job) => (job.owner as QueueEngine).timeOut(job), 1e-4);

function runJob(job: QueueJob) {
	const [ok, value] = xpcall(job.fn!, captureTraceback, job);
	(job.owner as QueueEngine).finish(job, ok, value, ok ? undefined : lastTraceback());
}

/**
 * A runner thread whose last job ended, parked for the next one (all queues share it). Most jobs
 * never yield, and a thread per job was most of their cost: native -O2 a job through an empty room
 * took 5.6x a first RunOnce with coroutine.create per job (bench/queue.bench.luau).
 */
let freeRunner: thread | undefined;

function runnerLoop(first: QueueJob) {
	let job = first;
	while (true) {
		runJob(job);
		// Parked: nobody else holds this thread, and a job that yielded inside fn never gets here until
		// it ends (a stopped job's thread is cancelled, so it never does).
		freeRunner = coroutine.running();
		const resumedWith = coroutine.yield()[0];
		// Someone else resumed the parked thread (a fn kept `coroutine.running()` and resumed it later):
		// it stops being a runner instead of running whatever it was given. A metatable compare, not
		// instanceof (a call and a loop): QueueJob has no subclasses, and this runs after every job.
		if ((getmetatable(resumedWith as object) as unknown) !== QueueJob) {
			if (freeRunner === coroutine.running()) freeRunner = undefined;
			return;
		}
		job = resumedWith as QueueJob;
	}
}

/** The queue's signals (lemon-signal: immediate, handlers newest-first; see the README). */
export interface QueueEvents {
	readonly ExecutionQueued: Signal<(ticket: ExecutionTicket, position: number) => void>;
	readonly ExecutionStarted: Signal<(ticket: ExecutionTicket) => void>;
	readonly ExecutionCompleted: Signal<(ticket: ExecutionTicket, result: unknown, executionTime: number) => void>;
	readonly ExecutionFailed: Signal<(ticket: ExecutionTicket, error: GuardError) => void>;
	readonly ExecutionTimedOut: Signal<(ticket: ExecutionTicket, error: GuardError) => void>;
	readonly ExecutionCancelled: Signal<(ticket: ExecutionTicket, reason: CancelReason) => void>;
}

/**
 * The state behind one ExecutionQueue.
 *
 * @example
 * ```ts
 * const engine = new QueueEngine(checkConfig(undefined));
 * const [job, err] = engine.request("forge_1", 42, "Alice", craft, 0);
 * ```
 */
export class QueueEngine implements JobOwner {
	public readonly rooms = new Map<string, RoomQueue>();
	/** Each user's one queued or running job. */
	public readonly users = new Map<number | string, QueueJob>();
	/** Queued and running jobs by id. */
	public readonly live = new Map<string, QueueJob>();
	/** Queue-wide counts (a room's own counts go with the room). */
	public started = 0;
	public completed = 0;
	public failed = 0;
	public destroyed = false;
	public readonly events: QueueEvents;
	private lastId = 0;
	private sweepThread?: thread;
	private readonly sweepCallback = () => this.sweep();

	/**
	 * @param settings the checked config
	 *
	 * @example
	 * ```ts
	 * new QueueEngine(checkConfig({ maxQueueSize: 5 }));
	 * ```
	 */
	public constructor(public readonly settings: QueueSettings) {
		this.events = {
			ExecutionQueued: new Signal(),
			ExecutionStarted: new Signal(),
			ExecutionCompleted: new Signal(),
			ExecutionFailed: new Signal(),
			ExecutionTimedOut: new Signal(),
			ExecutionCancelled: new Signal(),
		};
	}

	/** A request that passed the argument checks: `(job)` or `(undefined, refusal)`. */
	public request(
		roomId: string,
		userId: number | string,
		displayName: string,
		fn: (ticket: ExecutionTicket) => unknown,
		priority: number,
	): LuaTuple<[QueueJob | undefined, GuardError | undefined]> {
		const settings = this.settings;
		if (this.destroyed) return $tuple(undefined, destroyedError(settings.name));
		const busy = this.users.get(userId);
		if (busy !== undefined) return $tuple(undefined, userBusyError(settings.name, roomId, displayName, busy));
		let room = this.rooms.get(roomId);
		const startsNow =
			room === undefined || (room.queuedCount === 0 && room.runningCount < settings.maxConcurrentExecutions);
		if (!startsNow && room!.queuedCount >= settings.maxQueueSize) {
			return $tuple(undefined, queueFullError(settings, roomId, room!.queuedCount));
		}
		if (room === undefined) {
			room = new RoomQueue(roomId, settings.historySize);
			this.rooms.set(roomId, room);
		}
		this.lastId += 1;
		const job = QueueJob.create(this, `exec_${this.lastId}`, roomId, userId, displayName, priority, fn, os.clock());
		this.users.set(userId, job);
		this.live.set(job.id, job);
		if (startsNow) {
			this.events.ExecutionQueued.Fire(job, 0);
			// The pump's flag keeps a job that ends inside its own start from starting the next one in a nested loop.
			room.pumping = true;
			this.start(room, job);
			room.pumping = false;
			this.pump(room);
		} else {
			job.position = room.enqueue(job);
			this.events.ExecutionQueued.Fire(job, job.position);
		}
		return $tuple(job, undefined);
	}

	private start(room: RoomQueue, job: QueueJob) {
		// The slot is the room's running count, checked by the caller (request, pump): see the README for why
		// no Semaphore permit is taken per job.
		job.status = "Running";
		job.startTime = os.clock();
		room.running.add(job);
		room.runningCount += 1;
		room.started += 1;
		this.started += 1;
		this.events.ExecutionStarted.Fire(job);
		if (job.status !== "Running") return; // a handler stopped it before it ran
		// A parked runner that a job's fn kept and cancelled since (task.cancel) is dead: make a new one.
		const parked = freeRunner;
		freeRunner = undefined;
		const thread =
			parked !== undefined && coroutine.status(parked) === "suspended" ? parked : coroutine.create(runnerLoop);
		job.thread = thread;
		// resume, not task.spawn: fn runs under xpcall in runJob, so nothing is left for the scheduler to report.
		const [resumed, problem] = coroutine.resume(thread, job);
		if (!resumed) error(problem, 0);
		// Still running: fn yielded. Only then does it need a timeout (a job that never yields costs no timer).
		if (job.status === "Running") {
			job.deadline = job.startTime + this.settings.executionTimeout;
			queueDeadlines.push(job);
		}
	}

	/** Starts queued jobs while the room has free slots (in the same frame a slot freed). */
	private pump(room: RoomQueue) {
		if (room.pumping) return;
		room.pumping = true;
		const limit = this.settings.maxConcurrentExecutions;
		while (room.runningCount < limit && room.queuedCount > 0) this.start(room, room.popHead()!);
		room.pumping = false;
		if (room.isEmpty()) this.rooms.delete(room.id);
	}

	/** The end of a running job's thread: fn returned or threw. A job already stopped or timed out is left as it ended. */
	public finish(job: QueueJob, ok: boolean, value: unknown, traceback: string | undefined) {
		if (job.status !== "Running") return;
		const room = this.endRun(job);
		if (ok) {
			job.status = "Completed";
			job.result = value;
			room.completed += 1;
			this.completed += 1;
			this.closeJob(room, job);
			this.events.ExecutionCompleted.Fire(job, value, job.executionTime);
		} else {
			job.status = "Failed";
			job.error = failedError(this.settings.name, job, value, traceback);
			room.failed += 1;
			this.failed += 1;
			this.closeJob(room, job);
			this.events.ExecutionFailed.Fire(job, job.error);
		}
		// The next job starts before the waiters resume, so what they see is the room after the slot was reused.
		this.pump(room);
		QueueJob.settle(job);
	}

	/** The deadline heap's call: the job ran past `executionTimeout`. */
	public timeOut(job: QueueJob) {
		this.stopRunning(job, "TimedOut");
	}

	/**
	 * Stops a running job: its thread is cancelled, its slot and its user are free at once.
	 *
	 * @returns false when the job is not running
	 */
	public stopRunning(job: QueueJob, reason: "TimedOut" | CancelReason): boolean {
		if (job.status !== "Running") return false;
		const thread = job.thread;
		const room = this.endRun(job);
		room.failed += 1;
		this.failed += 1;
		// The job's own thread asking to stop itself cannot be cancelled from inside; its later end changes nothing.
		if (thread !== undefined && thread !== coroutine.running()) pcall(task.cancel, thread);
		if (reason === "TimedOut") {
			job.status = "TimedOut";
			job.error = timeoutError(this.settings, job);
			this.closeJob(room, job);
			this.events.ExecutionTimedOut.Fire(job, job.error);
		} else {
			job.status = "Cancelled";
			job.error = cancelledError(this.settings.name, job, reason, true);
			this.closeJob(room, job);
			this.events.ExecutionCancelled.Fire(job, reason);
		}
		this.pump(room);
		QueueJob.settle(job);
		return true;
	}

	/** Takes a queued job out; false when it is not queued. */
	public cancelQueued(job: QueueJob, reason: CancelReason): boolean {
		if (job.status !== "Queued") return false;
		const room = this.rooms.get(job.roomId)!;
		room.unlink(job);
		this.users.delete(job.userId);
		this.live.delete(job.id);
		job.status = "Cancelled";
		job.finishedAt = os.clock();
		job.error = cancelledError(this.settings.name, job, reason, false);
		this.closeJob(room, job);
		this.events.ExecutionCancelled.Fire(job, reason);
		QueueJob.settle(job);
		if (room.isEmpty() && !room.pumping) this.rooms.delete(room.id);
		return true;
	}

	/** Frees what a running job held (timer, slot, user) and times it. */
	private endRun(job: QueueJob): RoomQueue {
		const now = os.clock();
		// Only a job whose fn yielded was ever pushed: most jobs skip the call.
		if (job.heapIndex !== undefined) queueDeadlines.remove(job);
		const room = this.rooms.get(job.roomId)!;
		room.running.delete(job);
		room.runningCount -= 1;
		this.users.delete(job.userId);
		this.live.delete(job.id);
		job.finishedAt = now;
		job.executionTime = now - job.startTime;
		room.recordDuration(job.executionTime);
		return room;
	}

	private closeJob(room: RoomQueue, job: QueueJob) {
		if (this.settings.historySize === 0) return;
		room.remember(job);
		if (this.sweepThread === undefined && !this.destroyed) {
			this.sweepThread = task.delay(this.settings.cleanupInterval, this.sweepCallback);
		}
	}

	/** Drops history past its retention and the rooms left empty; runs only while some history exists. */
	private sweep() {
		this.sweepThread = undefined;
		const cutoff = os.clock() - this.settings.historyRetention;
		let remembered = false;
		for (const [roomId, room] of this.rooms) {
			room.forgetBefore(cutoff);
			if (room.isEmpty()) this.rooms.delete(roomId);
			else if (room.historyCount > 0) remembered = true;
		}
		if (remembered && !this.destroyed)
			this.sweepThread = task.delay(this.settings.cleanupInterval, this.sweepCallback);
	}

	/** Cancels every queued job and stops every running one; nothing runs on the queue afterwards. */
	public destroy() {
		if (this.destroyed) return;
		this.destroyed = true;
		if (this.sweepThread !== undefined) task.cancel(this.sweepThread);
		this.sweepThread = undefined;
		const jobs = new Array<QueueJob>();
		for (const [, job] of this.live) jobs.push(job);
		for (const job of jobs) if (job.status === "Queued") this.cancelQueued(job, "Destroyed");
		for (const job of jobs) this.stopRunning(job, "Destroyed");
		for (const [, signal] of pairs(this.events)) (signal as { DisconnectAll(): void }).DisconnectAll();
	}

	/** See ExecutionTicket.GetPosition. */
	public positionOf(job: QueueJob): number {
		if (job.status !== "Queued") return 0;
		return this.rooms.get(job.roomId)!.positionOf(job);
	}

	/** See ExecutionTicket.GetEstimatedWait. */
	public estimatedWaitOf(job: QueueJob): number | undefined {
		if (job.status !== "Queued") return 0;
		const room = this.rooms.get(job.roomId)!;
		const mean = room.meanDuration();
		if (mean === undefined) return undefined;
		return math.ceil(room.positionOf(job) / this.settings.maxConcurrentExecutions) * mean;
	}
}
