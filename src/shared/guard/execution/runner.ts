/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- coroutine.yield hands the next run's arguments over */
import { captureTraceback, lastTraceback } from "../errors/traceback";
import { ActiveRun } from "./RunRecord";

/** What a runner thread calls once a `fn` that yielded has ended: the guard's settle step. */
export interface RunExecutor {
	finishRun(active: ActiveRun, ok: boolean, value: unknown, traceback: string, cacheResult: boolean): unknown;
}

/**
 * First value a runner yields when its `fn` ended without ever yielding: the engine's
 * `coroutine.resume` then gets the outcome as `(RUN_ENDED, ok, value, traceback)` and settles the run
 * itself. No `fn` can yield this table, so it tells "fn ended" apart from "fn yielded".
 */
export const RUN_ENDED = {};

/**
 * The one idle runner thread, shared by every guard. As in GoodSignal: a run takes it, and if `fn`
 * finishes without yielding the same thread is free again for the next run, so the common no-yield
 * run costs one `coroutine.resume`, not a new thread. A run whose `fn` yields keeps its runner;
 * the next run creates a new one ({@link newRunner}). A run takes it by setting `free` to undefined.
 */
export const runners: { free: thread | undefined } = { free: undefined };

function runnerLoop(executor: RunExecutor, active: ActiveRun, fn: Callback, cacheResult: boolean) {
	const ownThread = coroutine.running();
	while (true) {
		// fn is called from this small frame, not from the guard's settle code: while fn is suspended,
		// this thread's stack holds only this loop and fn's own frames. A bigger frame here would make
		// Luau grow every yielded run's stack (~1 KB more per run in flight, measured).
		const [ok, value] = xpcall(fn as () => unknown, captureTraceback);
		if (active.waiter === undefined) {
			// fn never yielded (the engine sets `waiter` as soon as it does): hand the outcome back
			// through the engine's resume, which settles the run and frees this thread. One call and
			// one resume fewer than settling from here.
			[executor, active, fn, cacheResult] = coroutine.yield(
				RUN_ENDED,
				ok,
				value,
				ok ? "" : lastTraceback(),
			) as LuaTuple<[RunExecutor, ActiveRun, Callback, boolean]>;
		} else {
			executor.finishRun(active, ok, value, ok ? "" : lastTraceback(), cacheResult);
			// Free again only after the run is settled: settling may resume waiters whose own RunOnce
			// calls must not pick this (still running) thread.
			runners.free = ownThread;
			[executor, active, fn, cacheResult] = coroutine.yield() as LuaTuple<
				[RunExecutor, ActiveRun, Callback, boolean]
			>;
		}
	}
}

/**
 * A new runner thread, for a run that finds {@link runners}.free taken (a run in flight holds it).
 *
 * @example
 * ```ts
 * let runner = runners.free;
 * if (runner === undefined) runner = newRunner();
 * else runners.free = undefined;
 * ```
 */
export function newRunner(): thread {
	return coroutine.create(runnerLoop);
}
