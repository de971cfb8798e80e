import { GuardError } from "../../errors/GuardError";
import { backoffDelay } from "../../lock/backoff";
import { ManualLocks } from "../ManualLocks";
import { RunRecord } from "../RunRecord";
import { waitForWake, wake } from "../wakeup";
import { ExperienceLeases, HeldLease } from "./ExperienceLeases";

/**
 * `AcquireLock` / `ReleaseLock` of an experience guard: the key is taken here first (the guard's
 * in-server lock, with all its rules), then for the experience through the same lease RunOnce uses,
 * so a key held by AcquireLock on one server blocks RunOnce and AcquireLock on every other.
 * The lease is asked for in a thread of its own: a caller cancelled while it waits leaves no lease
 * and no local hold behind. `timeout` bounds the whole wait (the lease is retried with backoff while
 * another server holds it).
 *
 * @example
 * ```ts
 * if (guard.AcquireLock("season_reset", 10)) { reset(); guard.ReleaseLock("season_reset"); } // Experience scope
 * ```
 */
export class ExperienceLocks {
	private readonly held = new Map<string, HeldLease>();

	public constructor(
		private readonly manualLocks: ManualLocks,
		private readonly leases: ExperienceLeases,
		private readonly debugMode: boolean,
	) {}

	/** AcquireLock across the experience; yields for the lease. */
	public acquire(key: string, timeout: number | undefined, record: RunRecord | undefined): boolean {
		const started = os.clock();
		if (!this.manualLocks.acquire(key, timeout, record)) return false;
		const deadline = started + (timeout ?? 0);
		const caller = coroutine.running();
		const answer: { done: boolean; lease: HeldLease | undefined } = { done: false, lease: undefined };
		task.spawn(() => {
			const lease = this.takeBefore(key, deadline);
			answer.done = true;
			answer.lease = lease;
			if (coroutine.status(caller) === "dead") {
				// The caller was cancelled while it waited: give back both locks it can no longer use.
				lease?.Release();
				this.manualLocks.release(key);
				return;
			}
			wake(caller, true, undefined);
		});
		if (!answer.done) waitForWake();
		const lease = answer.lease;
		if (lease === undefined) {
			this.manualLocks.release(key);
			return false;
		}
		this.held.set(key, lease);
		if (this.debugMode) print(`[ExecutionGuard] "${key}": lease taken for the experience (token ${lease.token})`);
		return true;
	}

	/** ReleaseLock across the experience: the lease first, then the in-server lock. Yields for the lease. */
	public release(key: string) {
		if (this.manualLocks.mayRelease(key)) {
			const lease = this.held.get(key);
			this.held.delete(key);
			lease?.Release();
		}
		this.manualLocks.release(key);
	}

	private takeBefore(key: string, deadline: number): HeldLease | undefined {
		for (let attempt = 1; ; attempt++) {
			const [lease, err] = this.leases.tryAcquire(key);
			if (lease !== undefined) return lease;
			if (!GuardError.is(err, "AlreadyRunning")) {
				warn(
					`[ExecutionGuard] AcquireLock("${key}"): the experience lease could not be asked for: ${tostring(err)}`,
				);
				return undefined;
			}
			const delay = backoffDelay(attempt, 0.25, 4, undefined);
			const left = deadline - os.clock();
			if (left <= 0) return undefined;
			task.wait(math.min(delay, left));
		}
	}
}
