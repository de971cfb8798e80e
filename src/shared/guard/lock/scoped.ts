import { GuardError } from "../errors/GuardError";
import { AcquireOptions, Lock, LockHandle, RunWithLockResult, WithLockOptions } from "./LockTypes";
import { checkFunction, checkKey, checkOptions } from "./validate";

// Scoped use written once against the Lock interface, so every strategy (memory now, MemoryStore
// later) gets the same release-always semantics.

const WITH_OPTIONS = new Set(["timeout", "leaseTtl", "owner", "retries", "baseDelay", "maxDelay", "random", "onRetry"]);
const POLLING_ONLY = ["baseDelay", "maxDelay", "random", "onRetry"] as const;

// Set by the xpcall handler, read right after xpcall returns on the same thread (nothing runs in
// between), so one module variable serves every call without a closure per call.
let lastTraceback = "";
function captureTraceback(err: unknown) {
	lastTraceback = debug.traceback(tostring(err), 2);
	return err;
}

/** Acquires per WithLock options: the FIFO queue by default, polling with backoff when `retries` is set. */
function acquireFor(lock: Lock, key: string, options: WithLockOptions | undefined, where: string) {
	checkOptions(options, WITH_OPTIONS, where);
	if (options === undefined) return lock.Acquire(key);
	if (options.retries !== undefined) {
		if (options.timeout !== undefined) {
			throw new GuardError(
				"InvalidArgument",
				`${where}: give either 'timeout' (wait in the queue) or 'retries' (poll with backoff), not both`,
				{ argument: "options", given: "timeout+retries" },
			);
		}
		return lock.TryAcquire(key, options);
	}
	for (const name of POLLING_ONLY) {
		if (options[name] !== undefined) {
			throw new GuardError(
				"InvalidArgument",
				`${where}: option '${name}' only applies with 'retries' (polling); without it the call waits in the queue`,
				{ argument: name, given: options[name] },
			);
		}
	}
	return lock.Acquire(key, options as AcquireOptions);
}

function lockLost(handle: LockHandle, result: unknown) {
	return new GuardError(
		"LockLost",
		`"${handle.key}" (token ${handle.token}) stopped being held while fn ran (lease expired or ReleaseAll); ` +
			`another holder may have run at the same time`,
		{ key: handle.key, token: handle.token, result },
	);
}

/** WithLock for any {@link Lock}: see `KeyedPermits.WithLock`. */
export function withLock<T>(
	lock: Lock,
	key: string,
	fn: (handle: LockHandle) => T,
	options: WithLockOptions | undefined,
	where: string,
): T {
	checkKey(key, where);
	checkFunction(fn, where);
	const [handle, err] = acquireFor(lock, key, options, where);
	if (handle === undefined) throw err;
	const [ok, value] = xpcall(fn, captureTraceback, handle);
	const stillHeld = handle.IsValid();
	if (stillHeld) handle.Release();
	// Level 0: rethrow the very value fn threw, without a second position prefix.
	if (!ok) error(value, 0);
	if (!stillHeld) throw lockLost(handle, value);
	return value as T;
}

/** RunWithLock for any {@link Lock}: see `KeyedPermits.RunWithLock`. */
export function runWithLock<T>(
	lock: Lock,
	key: string,
	fn: (handle: LockHandle) => T,
	options: WithLockOptions | undefined,
	where: string,
): RunWithLockResult<T> {
	checkKey(key, where);
	checkFunction(fn, where);
	const [handle, err] = acquireFor(lock, key, options, where);
	if (handle === undefined) return { acquired: false, error: err };
	const [ok, value] = xpcall(fn, captureTraceback, handle);
	const stillHeld = handle.IsValid();
	if (stillHeld) handle.Release();
	if (!ok) return { acquired: true, error: value, traceback: lastTraceback };
	if (!stillHeld) return { acquired: true, result: value as T, error: lockLost(handle, value) };
	return { acquired: true, result: value as T };
}
