import { GuardError } from "../errors/GuardError";
import { DeadlineEntry, DeadlineHeap } from "../timing/DeadlineHeap";
import { ActiveRun, enterSlowPath, JoinWait, RunRecord, TimerKind } from "./RunRecord";
import { wake } from "./wakeup";

/**
 * Queues `caller` behind `record`'s run (`join = true`), with its own deadline when it gave a
 * `joinTimeout`. The caller then waits in `waitForWake` for the run's outcome or its deadline.
 *
 * @example
 * ```ts
 * addJoiner(timers, record, coroutine.running(), options.joinTimeout);
 * return waitForWake();
 * ```
 */
export function addJoiner(
	timers: DeadlineHeap<DeadlineEntry>,
	record: RunRecord,
	caller: thread,
	joinTimeout: number | undefined,
) {
	const joiner: JoinWait = {
		kind: TimerKind.JoinWait,
		thread: caller,
		record,
		startedWaiting: os.clock(),
		deadline: 0,
		heapIndex: -1,
	};
	if (joinTimeout !== undefined) {
		joiner.deadline = joiner.startedWaiting + joinTimeout;
		timers.push(joiner);
	}
	const active = enterSlowPath(record.active!);
	(active.joiners ??= []).push(joiner);
}

/**
 * Hands a run's outcome to everyone who joined it, and takes their deadlines off the heap.
 *
 * @example
 * ```ts
 * wakeJoiners(timers, active, false, timeoutError);
 * ```
 */
export function wakeJoiners(timers: DeadlineHeap<DeadlineEntry>, active: ActiveRun, ok: boolean, outcome: unknown) {
	const joiners = active.joiners;
	if (joiners === undefined) return;
	active.joiners = undefined;
	for (const joiner of joiners) {
		if (joiner.heapIndex >= 0) timers.remove(joiner);
		wake(joiner.thread, ok, outcome);
	}
}

/**
 * A joiner's `joinTimeout` passed: only its wait ends, with a Timeout error; the run goes on.
 *
 * @example
 * ```ts
 * endJoinWait(entry as JoinWait, now, debugMode);
 * ```
 */
export function endJoinWait(joiner: JoinWait, now: number, debugMode: boolean) {
	const joiners = joiner.record.active?.joiners;
	const index = joiners?.indexOf(joiner) ?? -1;
	if (index < 0) return;
	joiners!.remove(index);
	const waited = now - joiner.startedWaiting;
	const key = joiner.record.key;
	if (debugMode) print(`[ExecutionGuard] "${key}": a joiner stopped waiting after ${waited} s`);
	const err = new GuardError("Timeout", `waited ${waited} s for "${key}" to finish; the run itself goes on`, {
		key,
		waited,
	});
	wake(joiner.thread, false, err);
}
