/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- a waiter is resumed with the run's (success, result) */

/** First value a waiting thread is resumed with, so a stray resume is told apart from ours. */
const WAKE = {};

/**
 * Resumes a caller or joiner waiting in {@link waitForWake} with a run's outcome.
 *
 * @example
 * ```ts
 * wake(active.waiter, true, result);
 * ```
 */
export function wake(thread: thread, ok: boolean, value: unknown) {
	// A waiter killed meanwhile (e.g. its Promise was cancelled) must not be resumed.
	if (coroutine.status(thread) === "suspended") task.spawn(thread, WAKE, ok, value);
}

/**
 * Suspends the calling thread until {@link wake} hands it an outcome; any other resume (a stray
 * `task.spawn(thread)`) is ignored and the wait goes on.
 *
 * @example
 * ```ts
 * active.waiter = coroutine.running();
 * return waitForWake(); // (ok, value) of the run
 * ```
 */
export function waitForWake(): LuaTuple<[boolean, unknown]> {
	while (true) {
		const [token, ok, value] = coroutine.yield() as LuaTuple<[unknown, boolean, unknown]>;
		if (token === WAKE) return $tuple(ok, value);
	}
}
