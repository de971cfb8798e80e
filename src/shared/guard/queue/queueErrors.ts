import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";
import { QueueSettings } from "./queueArguments";
import { QueueJob } from "./QueueJob";
import { CancelReason } from "./QueueTypes";

// Every GuardError an ExecutionQueue hands out, worded once. `details.key` is always the room id.

function seconds(value: number) {
	return string.format("%.2f s", value);
}

function who(job: QueueJob) {
	return `${shorten(job.displayName)} (${job.userId})`;
}

/**
 * `QueueFull`: the room already holds `maxQueueSize` queued jobs.
 *
 * @example
 * ```ts
 * return [undefined, queueFullError(settings, roomId, room.queuedCount)];
 * ```
 */
export function queueFullError(settings: QueueSettings, roomId: string, queued: number) {
	return new GuardError(
		"QueueFull",
		`${settings.name}: room "${roomId}" has ${queued} queued jobs (maxQueueSize ${settings.maxQueueSize}) and ` +
			`${settings.maxConcurrentExecutions} running; try again when one ends`,
		{ key: roomId, queued, maxQueueSize: settings.maxQueueSize },
	);
}

/**
 * `UserBusy`: the user already has a job queued or running, in this room or another.
 *
 * @example
 * ```ts
 * return [undefined, userBusyError(name, roomId, displayName, busy)];
 * ```
 */
export function userBusyError(name: string, roomId: string, displayName: string, busy: QueueJob) {
	const state = busy.status === "Running" ? "running" : "queued";
	return new GuardError(
		"UserBusy",
		`${name}: ${shorten(displayName)} (${busy.userId}) already has job ${busy.id} ${state} in room ` +
			`"${busy.roomId}"; one job per user: wait for it or cancel it first`,
		{ key: roomId, executionId: busy.id, busyRoomId: busy.roomId, busyStatus: busy.status },
	);
}

/**
 * `ExecutionFailed`: the job threw; `cause` is its error, `traceback` where.
 *
 * @example
 * ```ts
 * job.error = failedError(name, job, value, lastTraceback());
 * ```
 */
export function failedError(name: string, job: QueueJob, cause: unknown, traceback: string | undefined) {
	return new GuardError(
		"ExecutionFailed",
		`${name}: job ${job.id} of ${who(job)} in room "${job.roomId}" failed: ${shorten(tostring(cause))}`,
		{ key: job.roomId, executionId: job.id, cause, traceback },
	);
}

/**
 * `Timeout`: the job ran past `executionTimeout` and was stopped.
 *
 * @example
 * ```ts
 * job.error = timeoutError(settings, job);
 * ```
 */
export function timeoutError(settings: QueueSettings, job: QueueJob) {
	return new GuardError(
		"Timeout",
		`${settings.name}: job ${job.id} of ${who(job)} in room "${job.roomId}" ran past its ` +
			`${seconds(settings.executionTimeout)} timeout and was stopped`,
		{ key: job.roomId, executionId: job.id, timeout: settings.executionTimeout, ran: job.executionTime },
	);
}

const CANCEL_WORDS: Record<CancelReason, string> = {
	Cancelled: "cancelled by its user",
	Left: "cancelled: its user left",
	Stopped: "stopped by the server",
	Destroyed: "cancelled: the queue was destroyed",
};

/**
 * `Cancelled`: the job left the queue or was stopped; `details.reason` says why.
 *
 * @example
 * ```ts
 * job.error = cancelledError(name, job, "Left", false);
 * ```
 */
export function cancelledError(name: string, job: QueueJob, reason: CancelReason, wasRunning: boolean) {
	const where = wasRunning ? `while running (${seconds(job.executionTime)})` : "while queued";
	return new GuardError(
		"Cancelled",
		`${name}: job ${job.id} of ${who(job)} in room "${job.roomId}" was ${CANCEL_WORDS[reason]} ${where}`,
		{ key: job.roomId, executionId: job.id, reason },
	);
}

/**
 * `Destroyed`: a request after `Destroy()`.
 *
 * @example
 * ```ts
 * if (engine.destroyed) return [undefined, destroyedError(name)];
 * ```
 */
export function destroyedError(name: string) {
	return new GuardError("Destroyed", `${name} was destroyed; create a new ExecutionQueue`);
}
