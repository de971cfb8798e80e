// acquireScoped answers `(handle, error)` as the acquisitions in acquire.ts do.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { checkFunction, checkKey } from "../arguments/check";
import { GuardError } from "../errors/GuardError";
import { captureTraceback, lastTraceback } from "../errors/traceback";
import { takeOrPoll, waitForPermit } from "./acquire";
import { checkWithOptions } from "./lockOptions";
import { AcquireOptions, LockHandle, RunWithLockResult, WithLockOptions } from "./LockTypes";
import { PermitEngine } from "./PermitEngine";

// Scoped use: the hold lasts exactly as long as fn and is bound to the calling thread, so a thread
// killed inside fn (task.cancel, PlayerRemoving) cannot keep the key: the engine takes it back.

/**
 * Checks the call and acquires per WithLock options, bound to this thread: the FIFO queue by default,
 * polling when `retries` is set.
 */
function acquireScoped(
	engine: PermitEngine,
	where: string,
	key: string,
	fn: unknown,
	options: WithLockOptions | undefined,
): LuaTuple<[LockHandle | undefined, GuardError | undefined]> {
	if (options === undefined && typeIs(fn, "function")) {
		// A key with a record was checked when the record was made; a free one is granted at once.
		// Native -O2, uncontended WithLock with an empty fn: 5.5-5.7× → 2.3× the TryAcquire floor.
		const handle = PermitEngine.takeKnownFree(engine, key, coroutine.running());
		if (handle !== undefined) return $tuple(handle, undefined);
	}
	checkKey(where, key);
	checkFunction(where, "fn", fn, key);
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
	const [handle, err] = acquireScoped(engine, where, key, fn, options);
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
	const [handle, err] = acquireScoped(engine, where, key, fn, options);
	if (handle === undefined) return { acquired: false, error: err };
	const [ok, value] = xpcall(fn, captureTraceback, handle);
	const stillHeld = handle.IsValid();
	if (stillHeld) handle.Release();
	if (!ok) return { acquired: true, error: value, traceback: lastTraceback() };
	if (!stillHeld) return { acquired: true, result: value as T, error: lockLost(handle, value) };
	return { acquired: true, result: value as T };
}
