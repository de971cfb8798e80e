/**
 * Every way a guard, lock or lifecycle call can fail. One list for the whole toolkit, so a caller
 * can handle `Timeout` the same way whether it came from `RunOnce`, `KeyedLock` or `Semaphore`.
 */
export type GuardErrorKind =
	/** Bad input: an empty key, a missing function, a negative timeout, an unknown option. */
	| "InvalidArgument"
	/** The key is already running / locked by someone else. */
	| "AlreadyRunning"
	/** A wait or a run went past its deadline. */
	| "Timeout"
	/**
	 * The run or the wait was cancelled (`Cancel`, `promise.cancel()`, `ReleaseAll`), or the thread
	 * running a lifecycle phase (`Init`, `Start`, `InitAll`) was `task.cancel`ed.
	 */
	| "Cancelled"
	/** A function asked for its own key while it was running (it would wait for itself forever). */
	| "Reentrant"
	/** The guarded function itself threw; `cause` holds its error and `traceback` where. */
	| "ExecutionFailed"
	/** `Start` was called before `Init` finished. */
	| "NotInitialized"
	/** The object was destroyed; nothing more can run on it. */
	| "Destroyed"
	/** A dependency cycle or a missing dependency, or a call the state does not allow (registration after `InitAll` began or after `DestroyAll`). */
	| "InvalidState"
	/** A lock handle whose lease expired or which was already released. */
	| "LockLost"
	/** An exactly-once effect reused an operation id with another payload (EffectStore); nothing was written. */
	| "IdempotencyConflict"
	/** A write carried a fencing token below the highest the document has seen (EffectStore); nothing was written. */
	| "StaleToken"
	/** A store kept failing (retries spent) or refused the request: DataStore (EffectStore; `details.applied` says what is known) or MemoryStore (the lease; `details.cause` is the store's error). */
	| "StoreFailed";

/**
 * A typed error value: thrown with `error(...)` (TypeScript `throw`) or returned in a
 * `(false, error)` pair. It keeps the key it is about, the message a person can act on and, for
 * failures of user code, the original error and its traceback.
 *
 * Prints as `Kind: message` (it has `__tostring`), so `warn(err)` in the F9 console reads well, and
 * joins strings with Luau's `..` in that form (`"Load failed: " .. err`).
 *
 * @example
 * ```ts
 * const [ok, err] = pcall(() => guard.RunOnce("", () => 1));
 * if (!ok && GuardError.is(err, "InvalidArgument")) warn(err.message);
 * ```
 */
export class GuardError {
	/**
	 * @param kind what went wrong, one of {@link GuardErrorKind}
	 * @param message a sentence a person can act on, naming the key where there is one
	 * @param details extra facts for code that handles the error (key, lockedAt, waited, holder...)
	 */
	public constructor(
		public readonly kind: GuardErrorKind,
		public readonly message: string,
		public readonly details: {
			readonly key?: string;
			readonly cause?: unknown;
			readonly traceback?: string;
			readonly [name: string]: unknown;
		} = {},
	) {}

	/**
	 * True when `value` is a GuardError (of the given kind, if one is given). A static property rather
	 * than a static method, so Luau calls it with a dot, as it reads: `GuardError.is(err, "Timeout")`.
	 *
	 * @example
	 * ```ts
	 * if (GuardError.is(result, "Timeout")) print("timed out after", result.details.waited);
	 * ```
	 */
	public static readonly is = (value: unknown, kind?: GuardErrorKind): value is GuardError =>
		value instanceof GuardError && (kind === undefined || value.kind === kind);

	/** `Kind: message`, the form printed by `print`, `warn` and `tostring`. */
	public toString() {
		return `${this.kind}: ${this.message}`;
	}
}

/**
 * Luau's `..` with a GuardError on either side (`"Load failed: " .. err`, `err .. "!"`) joins its
 * `Kind: message` form, as `tostring` would, instead of raising "attempt to concatenate". Set on the
 * class table after the declaration: the class table is the metatable of every GuardError, and
 * roblox-ts has no syntax for a `__concat` member.
 */
function concatenate(left: unknown, right: unknown) {
	return tostring(left) + tostring(right);
}
rawset(GuardError, "__concat", concatenate);
