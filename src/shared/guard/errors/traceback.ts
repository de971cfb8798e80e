/**
 * The toolkit's one xpcall handler for user code (RunOnce's `fn`, WithLock's `fn`, lifecycle hooks):
 * it keeps where the failure happened and hands the error back unchanged. The traceback goes into a
 * module variable, read right after xpcall returns on the same thread (nothing runs in between), so
 * one handler serves every call without a closure per call.
 *
 * @example
 * ```ts
 * const [ok, value] = xpcall(fn, captureTraceback);
 * if (!ok) warn(value, lastTraceback());
 * ```
 */
export function captureTraceback(cause: unknown) {
	// Level 2: the traceback starts at the code that threw, not in this handler.
	captured = debug.traceback(tostring(cause), 2);
	return cause;
}

let captured = "";

/**
 * The traceback of the failure {@link captureTraceback} saw last (the message, then the stack).
 *
 * @example
 * ```ts
 * const [ok, value] = xpcall(fn, captureTraceback);
 * const traceback = ok ? "" : lastTraceback();
 * ```
 */
export function lastTraceback() {
	return captured;
}
