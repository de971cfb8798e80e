import { GuardError } from "../errors/GuardError";
import { captureTraceback, lastTraceback } from "../errors/traceback";
import { RunRecord, statsOf } from "./RunRecord";

/**
 * Calls a run's `onTimeout(key)` in its own thread (the guard spawns this), so a callback that
 * errors or yields cannot stop the guard's timer from firing the other timeouts. A failure is
 * reported naming the key: a warning with its traceback in the output, and as the key's last
 * problem (`GetAllRecords()[key].lastError`, the summary's "last problem" column), an
 * `ExecutionFailed` whose `details.cause` is the callback's error.
 *
 * @example
 * ```ts
 * task.spawn(callOnTimeout, record, active.onTimeout);
 * ```
 */
export function callOnTimeout(record: RunRecord, onTimeout: (key: string) => void) {
	const key = record.key;
	const [ok, cause] = xpcall(onTimeout, captureTraceback, key);
	if (ok) return;
	const traceback = lastTraceback();
	const err = new GuardError("ExecutionFailed", `onTimeout of "${key}" failed: ${tostring(cause)}`, {
		key,
		cause,
		traceback,
	});
	const stats = statsOf(record);
	stats.lastError = err;
	stats.lastProblemAt = os.clock();
	warn(`[ExecutionGuard] ${err.message}\n${traceback}`);
}
