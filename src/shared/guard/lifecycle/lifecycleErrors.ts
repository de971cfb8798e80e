import { shorten } from "../arguments/describeValue";
import { GuardError } from "../errors/GuardError";
import type { LifecyclePhase, LifecycleState } from "./types";

// The errors an IdempotentGuard raises, together, so their advice can be read side by side: each
// tells the caller something it can actually do from where it stands (retry only when retry is on).
// Every one has `details.key` (the module's name, shortened) and, where a phase is involved,
// `details.phase`.

function retryNote(allowRetry: boolean) {
	return allowRetry ? "retry is on: the next call runs it again" : "retry is off (allowRetry = false)";
}

/**
 * The phase function threw.
 *
 * @example
 * ```ts
 * throw phaseFailed("DataService", "Init", 1, "DataStore offline", traceback, false);
 * // ExecutionFailed: "DataService": Init failed on attempt 1: DataStore offline; retry is off (allowRetry = false)
 * ```
 */
export function phaseFailed(
	name: string,
	phase: LifecyclePhase,
	attempts: number,
	cause: unknown,
	traceback: string,
	allowRetry: boolean,
) {
	return new GuardError(
		"ExecutionFailed",
		`"${shorten(name)}": ${phase} failed on attempt ${attempts}: ${tostring(cause)}; ${retryNote(allowRetry)}`,
		{ key: shorten(name), phase, cause, traceback, attempts },
	);
}

/**
 * The thread running the phase was stopped (`task.cancel`) before the phase function returned.
 *
 * @example
 * ```ts
 * phaseCancelled("ArenaService", "Init", 1, false).message;
 * // "ArenaService": Init was cancelled on attempt 1: the thread running it was stopped (task.cancel) before it finished; retry is off (allowRetry = false)
 * ```
 */
export function phaseCancelled(name: string, phase: LifecyclePhase, attempts: number, allowRetry: boolean) {
	return new GuardError(
		"Cancelled",
		`"${shorten(name)}": ${phase} was cancelled on attempt ${attempts}: the thread running it was stopped ` +
			`(task.cancel) before it finished; ${retryNote(allowRetry)}`,
		{ key: shorten(name), phase, attempts },
	);
}

/**
 * A phase was asked for after `Destroy`.
 *
 * @example
 * ```ts
 * throw destroyedError("ShopService", "Start"); // Destroyed: "ShopService" was destroyed; Start is refused
 * ```
 */
export function destroyedError(name: string, phase: LifecyclePhase) {
	return new GuardError("Destroyed", `"${shorten(name)}" was destroyed; ${phase} is refused`, {
		key: shorten(name),
		phase,
	});
}

/**
 * A phase function called its own phase: waiting for itself would never end.
 *
 * @example
 * ```ts
 * throw reentrantError("Loop", "Init");
 * ```
 */
export function reentrantError(name: string, phase: LifecyclePhase) {
	return new GuardError(
		"Reentrant",
		`"${shorten(name)}": ${phase} was called from inside its own ${phase} function; it would wait for itself forever`,
		{ key: shorten(name), phase },
	);
}

/**
 * `Start` before Init finished. The advice depends on why: call Init, let it finish, retry it, or
 * (retry off) nothing, since Init cannot run again.
 *
 * @example
 * ```ts
 * throw notInitializedError("RewardService", "Created", undefined, false);
 * // NotInitialized: "RewardService": Start was called but Init has not been called; call Init first
 * ```
 */
export function notInitializedError(
	name: string,
	state: LifecycleState,
	initFailure: GuardError | undefined,
	allowRetry: boolean,
) {
	let why: string;
	if (initFailure !== undefined) {
		why = allowRetry
			? `its Init failed (${initFailure.message}); call Init again to retry it first`
			: `its Init failed (${initFailure.message}), so it cannot start`;
	} else if (state === "Initializing") {
		why = "its Init is still running; call Init (it waits for the running one) first";
	} else {
		why = "Init has not been called; call Init first";
	}
	return new GuardError("NotInitialized", `"${shorten(name)}": Start was called but ${why}`, {
		key: shorten(name),
		state,
	});
}
