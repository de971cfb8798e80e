import { takeOrPoll, waitForPermit } from "../lock/acquire";
import { DEFAULT_MAX_IDLE_KEYS } from "../lock/lockOptions";
import { LockHandle } from "../lock/LockTypes";
import { PermitEngine } from "../lock/PermitEngine";
import { RunRecord } from "./RunRecord";

const ACQUIRE_LOCK = "ExecutionGuard.AcquireLock";

interface ManualHold {
	readonly handle: LockHandle;
	/** The thread whose AcquireLock got the key: its owner. */
	readonly thread: thread;
}

/**
 * `AcquireLock` / `ReleaseLock` of the guide, which take and give back a key by name (no handle),
 * on the engine of a {@link KeyedLock} the guard owns. The lock is the one RunOnce respects: a run does not start
 * while a key is held here, and a caller who waits for a running key queues behind the run.
 *
 * Rules at the edges:
 * - the `timeout` of `AcquireLock(key, timeout)` bounds the wait only: a key, once got, is held
 *   until `ReleaseLock(key)`;
 * - the seed API releases by name, so the thread that took the key is its owner: `ReleaseLock(key)`
 *   frees it when called by that thread, or by any thread once that thread has ended (returned, or
 *   was cancelled mid-hold by a PlayerRemoving handler that now cleans up). From another thread
 *   while the owner still runs it is ignored with a warning: a stray second `ReleaseLock` by a
 *   former holder can then never free the next holder (Laravel #20709);
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
	/**
	 * The KeyedLock machinery itself (one permit per key), not a KeyedLock: AcquireLock has checked
	 * its key and timeout and named itself in the error, so going through KeyedLock's public methods
	 * would check both again (issue #9: the double checks go). Its warnings name "ExecutionGuard".
	 */
	private readonly locks = new PermitEngine(1, undefined, DEFAULT_MAX_IDLE_KEYS, "ExecutionGuard");
	/** Every key held by a returned AcquireLock: its handle and the thread that took it. */
	private readonly holds = new Map<string, ManualHold>();

	/**
	 * False until the first `acquire`: only `acquire` ever takes the KeyedLock, so until then no key
	 * is held and RunOnce skips asking it. Native Luau -O2 (bench/execution.bench.luau, 2 runs each):
	 * a first run went from 2.7-2.8x its bare-run floor to 2.1x without the KeyedLock's checked IsLocked.
	 */
	public everTaken = false;

	public constructor(private readonly debugMode: boolean) {}

	/**
	 * True while the key is held by AcquireLock, granted to a waiter, or queued behind by one.
	 *
	 * @example
	 * ```ts
	 * if (manualLocks.isHeld(key)) return refuse("locked by AcquireLock");
	 * ```
	 */
	public isHeld(key: string) {
		return this.locks.isFull(key);
	}

	/**
	 * Takes `key`, waiting up to `timeout` seconds (omitted or 0: try once). `record` is the key's
	 * run record, if any: a running key can only be waited for once its fn has yielded.
	 *
	 * @example
	 * ```ts
	 * const got = manualLocks.acquire("myKey", 10, engine.store.get("myKey"));
	 * ```
	 */
	public acquire(key: string, timeout: number | undefined, record: RunRecord | undefined): boolean {
		this.everTaken = true;
		const waits = timeout !== undefined && timeout > 0;
		if (record !== undefined && record.status === "Running") {
			const active = record.active!;
			// A run still in its synchronous part cannot be waited for: the caller is inside that run.
			if (active.heapIndex === undefined || !waits) return this.refused(key);
			// The run takes the key now that someone queues behind it; it gives it back when it ends.
			if (active.lockHandle === undefined) {
				[active.lockHandle] = takeOrPoll(
					this.locks,
					ACQUIRE_LOCK,
					key,
					{ owner: `RunOnce("${key}")` },
					undefined,
				);
			}
		}
		// A key seen before and free now takes the lock's own hot path (no closure, no clock read for a
		// lease); the rest takes the path TryAcquire/Acquire take after their checks.
		let handle: LockHandle | undefined = PermitEngine.takeKnownFree(this.locks, key, undefined);
		if (handle === undefined) {
			[handle] = waits
				? waitForPermit(this.locks, ACQUIRE_LOCK, key, { timeout }, undefined, false)
				: takeOrPoll(this.locks, ACQUIRE_LOCK, key, undefined, undefined);
		}
		if (handle === undefined) return this.refused(key);
		this.holds.set(key, { handle, thread: coroutine.running() });
		if (this.debugMode) print(`[ExecutionGuard] "${key}": lock acquired by AcquireLock`);
		return true;
	}

	/**
	 * Gives back a key taken with {@link acquire}, when called by the thread that took it or after
	 * that thread ended; does nothing for any other key (a RunOnce run included).
	 *
	 * @example
	 * ```ts
	 * manualLocks.release("myKey");
	 * ```
	 */
	public release(key: string) {
		const hold = this.holds.get(key);
		if (hold === undefined) return;
		if (!this.mayRelease(key)) {
			warn(
				`[ExecutionGuard] ReleaseLock("${key}") ignored: the key is held by another thread that is still ` +
					`running (${tostring(hold.thread)}); release it from the thread that took it`,
			);
			return;
		}
		this.holds.delete(key);
		hold.handle.Release();
		if (this.debugMode) print(`[ExecutionGuard] "${key}": lock released`);
	}

	/**
	 * True when `key` is held by AcquireLock and the calling thread may release it (it took it, or
	 * the thread that took it has ended): what {@link release} would do, asked without doing it.
	 *
	 * @example
	 * ```ts
	 * if (manualLocks.mayRelease(key)) lease.Release();
	 * ```
	 */
	public mayRelease(key: string) {
		const hold = this.holds.get(key);
		if (hold === undefined) return false;
		return hold.thread === coroutine.running() || coroutine.status(hold.thread) === "dead";
	}

	private refused(key: string) {
		if (this.debugMode) print(`[ExecutionGuard] "${key}": AcquireLock failed, already locked`);
		return false;
	}
}
