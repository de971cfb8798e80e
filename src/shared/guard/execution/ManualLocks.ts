import { KeyedLock } from "../lock/KeyedLock";
import { LockHandle } from "../lock/LockTypes";
import { RunRecord } from "./RunRecord";

/**
 * `AcquireLock` / `ReleaseLock` of the guide, which take and give back a key by name (no handle),
 * on a {@link KeyedLock} the guard owns. The lock is the one RunOnce respects: a run does not start
 * while a key is held here, and a caller who waits for a running key queues behind the run.
 *
 * Rules at the edges:
 * - the `timeout` of `AcquireLock(key, timeout)` bounds the wait only: a key, once got, is held
 *   until `ReleaseLock(key)`, from whichever thread calls it;
 * - nothing is kept for a waiter until its wait has returned, so a waiter whose thread dies (a
 *   `task.cancel` before or after the key was handed to it) leaves nothing behind here; the
 *   KeyedLock passes such a grant on;
 * - a run takes the KeyedLock only once someone queues behind it (runs nobody waits for never touch
 *   it) and gives it back when it ends, handing the key down FIFO.
 *
 * @example
 * ```ts
 * const manualLocks = new ManualLocks(false);
 * if (manualLocks.acquire("myKey", 10, engine.store.get("myKey"))) manualLocks.release("myKey");
 * ```
 */
export class ManualLocks {
	private readonly locks = new KeyedLock({ name: "ExecutionGuard" });
	/** The handle of every key held by a returned AcquireLock, for ReleaseLock by name. */
	private readonly handles = new Map<string, LockHandle>();

	public constructor(private readonly debugMode: boolean) {}

	/** True while the key is held by AcquireLock, granted to a waiter, or queued behind by one. */
	public isHeld(key: string) {
		return this.locks.IsLocked(key);
	}

	/**
	 * Takes `key`, waiting up to `timeout` seconds (omitted or 0: try once). `record` is the key's
	 * run record, if any: a running key can only be waited for once its fn has yielded.
	 */
	public acquire(key: string, timeout: number | undefined, record: RunRecord | undefined): boolean {
		const waits = timeout !== undefined && timeout > 0;
		if (record !== undefined && record.status === "Running") {
			const active = record.active!;
			// A run still in its synchronous part cannot be waited for: the caller is inside that run.
			if (active.heapIndex === undefined || !waits) return this.refused(key);
			// The run takes the key now that someone queues behind it; it gives it back when it ends.
			if (active.lockHandle === undefined) {
				[active.lockHandle] = this.locks.TryAcquire(key, { owner: `RunOnce("${key}")` });
			}
		}
		const [handle] = waits ? this.locks.Acquire(key, { timeout }) : this.locks.TryAcquire(key);
		if (handle === undefined) return this.refused(key);
		this.handles.set(key, handle);
		if (this.debugMode) print(`[ExecutionGuard] "${key}": lock acquired by AcquireLock`);
		return true;
	}

	/** Gives back a key taken with {@link acquire}; does nothing for any other key (a RunOnce run included). */
	public release(key: string) {
		const handle = this.handles.get(key);
		if (handle === undefined) return;
		this.handles.delete(key);
		handle.Release();
		if (this.debugMode) print(`[ExecutionGuard] "${key}": lock released`);
	}

	private refused(key: string) {
		if (this.debugMode) print(`[ExecutionGuard] "${key}": AcquireLock failed, already locked`);
		return false;
	}
}
