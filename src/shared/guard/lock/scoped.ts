import { checkFunction, checkKey } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
import { captureTraceback, lastTraceback } from "../errors/traceback";
import { takeOrPoll, waitForPermit } from "./acquire";
import { checkWithOptions } from "./lockOptions";
import { AcquireOptions, LockHandle, RunWithLockResult, WithLockOptions } from "./LockTypes";
import { PermitEngine } from "./PermitEngine";

// Scoped use: the hold lasts exactly as long as fn and is bound to the calling thread, so a thread
// killed inside fn (task.cancel, PlayerRemoving) cannot keep the key: the engine takes it back.

/** Acquires per WithLock options, bound to this thread: the FIFO queue by default, polling when `retries` is set. */
function acquireScoped(engine: PermitEngine, where: string, key: string, options: WithLockOptions | undefined) {
	const polls = checkWithOptions(where, options, key);
	if (polls) return takeOrPoll(engine, where, key, options, coroutine.running());
	return waitForPermit(engine, where, key, options as AcquireOptions | undefined, undefined, true);
}

function lockLost(handle: LockHandle, result: unknown) {
	return new GuardError(
		"LockLost",
		`"${handle.key}" (token ${handle.token}) stopped being held while fn ran (lease expired or ReleaseAll); ` +
			`another holder may have run at the same time`,
		{ key: handle.key, token: handle.token, result },
	);
}

/**
 * `WithLock` over an engine: see `KeyedLock.WithLock`.
 *
 * @example
 * ```ts
 * return withLock(this.engine, "TradeLocks.WithLock", key, fn, options);
 * ```
 */
export function withLock<T>(
	engine: PermitEngine,
	where: string,
	key: string,
	fn: (handle: LockHandle) => T,
	options: WithLockOptions | undefined,
): T {
	checkKey(where, key);
	checkFunction(where, "fn", fn, key);
	const [handle, err] = acquireScoped(engine, where, key, options);
	if (handle === undefined) throw err;
	const [ok, value] = xpcall(fn, captureTraceback, handle);
	const stillHeld = handle.IsValid();
	if (stillHeld) handle.Release();
	// Level 0: rethrow the very value fn threw, without a second position prefix.
	if (!ok) error(value, 0);
	if (!stillHeld) throw lockLost(handle, value);
	return value as T;
}

/**
 * `RunWithLock` over an engine: see `KeyedLock.RunWithLock`.
 *
 * @example
 * ```ts
 * return runWithLock(this.engine, "TradeLocks.RunWithLock", key, fn, options);
 * ```
 */
export function runWithLock<T>(
	engine: PermitEngine,
	where: string,
	key: string,
	fn: (handle: LockHandle) => T,
	options: WithLockOptions | undefined,
): RunWithLockResult<T> {
	checkKey(where, key);
	checkFunction(where, "fn", fn, key);
	const [handle, err] = acquireScoped(engine, where, key, options);
	if (handle === undefined) return { acquired: false, error: err };
	const [ok, value] = xpcall(fn, captureTraceback, handle);
	const stillHeld = handle.IsValid();
	if (stillHeld) handle.Release();
	if (!ok) return { acquired: true, error: value, traceback: lastTraceback() };
	if (!stillHeld) return { acquired: true, result: value as T, error: lockLost(handle, value) };
	return { acquired: true, result: value as T };
}
