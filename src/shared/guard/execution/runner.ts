/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- the guide's Luau API returns two values, (success, result) */
import { RunRecord } from "./RunRecord";

/** What a runner thread calls: the guard's own execute step (runs `fn`, then settles the record). */
export interface RunExecutor {
	executeRun(record: RunRecord, generation: number, fn: Callback, cacheResult: boolean): void;
}

/**
 * The one idle runner thread, shared by every guard. As in GoodSignal: a run takes it, and if `fn`
 * finishes without yielding the same thread is free again for the next run, so the common no-yield
 * run costs one `coroutine.resume`, not a new thread. A run whose `fn` yields keeps its runner;
 * the next run creates a new one.
 */
let freeRunner: thread | undefined;

function runnerLoop(executor: RunExecutor, record: RunRecord, generation: number, fn: Callback, cacheResult: boolean) {
	const ownThread = coroutine.running();
	while (true) {
		executor.executeRun(record, generation, fn, cacheResult);
		// Free again only after the record is settled: settling may resume waiters whose own RunOnce
		// calls must not pick this (still running) thread.
		freeRunner = ownThread;
		[executor, record, generation, fn, cacheResult] = coroutine.yield() as LuaTuple<
			[RunExecutor, RunRecord, number, Callback, boolean]
		>;
	}
}

/**
 * Runs `fn` for `record` in a runner thread and returns that thread. Returns after `fn` finished or
 * first yielded; the executor has settled the record in the first case.
 */
export function startInRunner(
	executor: RunExecutor,
	record: RunRecord,
	generation: number,
	fn: Callback,
	cacheResult: boolean,
): thread {
	let runner = freeRunner;
	if (runner === undefined) {
		runner = coroutine.create(runnerLoop);
	} else {
		freeRunner = undefined;
	}
	record.thread = runner;
	coroutine.resume(runner, executor, record, generation, fn, cacheResult);
	return runner;
}
