import { GuardError } from "../errors/GuardError";
import { shorten } from "../arguments/describeValue";

// Every GuardError an EffectStore returns, worded once.

/**
 * The op id was applied before with another payload: idempotency-key semantics refuse it.
 *
 * @example
 * ```ts
 * return $tuple(undefined, conflictError(key, opId, stored, given));
 * ```
 */
export function conflictError(key: string, opId: string, storedFingerprint: string, givenFingerprint: string) {
	return new GuardError(
		"IdempotencyConflict",
		`EffectStore.Apply: op "${shorten(opId)}" was already applied to "${key}" with another payload; ` +
			"nothing was written. Use a new op id for a different change, or send the same payload to retry.",
		{ key, opId, storedFingerprint: shorten(storedFingerprint), givenFingerprint: shorten(givenFingerprint) },
	);
}

/**
 * The write's fencing token is below the highest the document has seen: a newer holder wrote since.
 *
 * @example
 * ```ts
 * return $tuple(undefined, staleTokenError(key, opId, fence, highest));
 * ```
 */
export function staleTokenError(key: string, opId: string, fence: { name: string; token: number }, highest: number) {
	return new GuardError(
		"StaleToken",
		`EffectStore.Apply: fencing token ${fence.token} for "${fence.name}" is below ${highest}, which "${key}" ` +
			"has already seen (a newer holder took over); nothing was written. Stop: this holder lost its lease.",
		{ key, opId, fence: fence.name, token: fence.token, highest },
	);
}

/**
 * The change function threw, returned nil, or yielded: nothing was written, nothing retried.
 *
 * @example
 * ```ts
 * return $tuple(undefined, changeFailedError(key, opId, cause));
 * ```
 */
export function changeFailedError(key: string, opId: string, cause: unknown) {
	return new GuardError(
		"ExecutionFailed",
		`EffectStore.Apply: the change for op "${shorten(opId)}" on "${key}" failed: ${tostring(cause)}; nothing was written`,
		{ key, opId, cause },
	);
}

/**
 * The store kept failing, or refused for good. `applied` is false when a fresh read after the last
 * error showed the op absent, undefined when even that read failed (then the outcome is unknown:
 * Apply again with the same op id — it applies at most once).
 *
 * @example
 * ```ts
 * return $tuple(undefined, storeFailedError(key, opId, err, attempts, false));
 * ```
 */
export function storeFailedError(
	key: string,
	opId: string,
	cause: unknown,
	attempts: number,
	applied: false | undefined,
) {
	const known =
		applied === false
			? "a fresh read shows it was not applied"
			: "whether it landed is unknown (the verifying read failed too)";
	return new GuardError(
		"StoreFailed",
		`EffectStore.Apply: op "${shorten(opId)}" on "${key}" failed after ${attempts} attempt(s): ${tostring(cause)}; ` +
			`${known}. Apply it again with the same op id later: it applies at most once.`,
		{ key, opId, cause, attempts, applied },
	);
}

/**
 * A fresh read kept failing.
 *
 * @example
 * ```ts
 * return $tuple(undefined, readFailedError(key, err, attempts));
 * ```
 */
export function readFailedError(key: string, cause: unknown, attempts: number) {
	return new GuardError(
		"StoreFailed",
		`EffectStore.Read: "${key}" could not be read after ${attempts} attempt(s): ${tostring(cause)}; try again later`,
		{ key, cause, attempts },
	);
}
