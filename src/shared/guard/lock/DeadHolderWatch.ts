import { KeyRecord } from "./KeyRecord";
import { LockDeadline, lockDeadlines } from "./lockDeadlines";
import { LockHandle } from "./LockTypes";
import { PermitHandle, isPermitHandle } from "./PermitHandle";

/** How often a key with waiters looks at its thread-bound holders for dead threads, in seconds. */
export const DEAD_HOLDER_CHECK_INTERVAL = 0.1;

/**
 * The timer that looks at a key's thread-bound holders while others wait behind them: a thread that
 * died (task.cancel) cannot say so, so the queue would otherwise wait for nothing.
 */
class HolderProbe implements LockDeadline {
	public deadline = 0;
	public heapIndex = -1;

	public constructor(
		private readonly watch: DeadHolderWatch,
		private readonly record: KeyRecord,
	) {}

	public onDeadline() {
		this.watch.probe(this.record);
	}
}

/**
 * Holds *bound* to a thread, and taking them back when that thread dies. Roblox kills threads
 * (task.cancel, a PlayerRemoving handler ending a player's work) and nothing tells the lock, so a
 * bound hold is looked at: when its key is full and someone asks for it, when the key is
 * inspected, and every {@link DEAD_HOLDER_CHECK_INTERVAL} while waiters queue behind it. A key
 * with no bound holder (`record.bound === 0`, the hot path) is never looked at.
 *
 * Which holds are bound is the engine's rule: a waiter granted the key until it resumes, and a
 * WithLock/RunWithLock for its whole length.
 *
 * @example
 * ```ts
 * const watch = new DeadHolderWatch((handle) => engine.abandon(handle));
 * watch.bind(handle, coroutine.running());
 * if (record.bound > 0) watch.reap(record); // takes back holds whose thread is dead
 * ```
 */
export class DeadHolderWatch {
	/** @param takeBack ends a hold whose thread died and passes its permit on */
	public constructor(private readonly takeBack: (handle: PermitHandle) => void) {}

	/** Ties `handle`'s hold to `thread`. */
	public bind(handle: PermitHandle, thread: thread) {
		const record = handle.record;
		if (handle.bound === undefined) record.bound += 1;
		handle.bound = thread;
		if (record.waiting > 0) this.watch(record);
	}

	/** Unties `handle` (it resumed with its handle, or its hold is ending). */
	public unbind(handle: PermitHandle) {
		if (handle.bound === undefined) return;
		handle.bound = undefined;
		if (handle.held) handle.record.bound -= 1;
	}

	/** Takes back every hold of `record` whose bound thread has died. */
	public reap(record: KeyRecord) {
		const holders = record.holders !== undefined ? [...record.holders] : [record.holder];
		for (const handle of holders) {
			const thread = handle?.bound;
			if (thread !== undefined && coroutine.status(thread) === "dead") this.takeBack(handle!);
		}
	}

	/** Looks at `record` again soon, while waiters queue behind bound holders. */
	public watch(record: KeyRecord) {
		if (record.bound === 0) return;
		let probe = record.probe as HolderProbe | undefined;
		if (probe === undefined) {
			probe = new HolderProbe(this, record);
			record.probe = probe;
		}
		if (probe.heapIndex >= 0) return;
		probe.deadline = os.clock() + DEAD_HOLDER_CHECK_INTERVAL;
		lockDeadlines.push(probe);
	}

	/** The probe's tick: take back dead holds, and look again later while still needed. */
	public probe(record: KeyRecord) {
		if (record.bound > 0) this.reap(record);
		if (record.waiting > 0) this.watch(record);
	}

	/** Stops looking at `record` (ReleaseAll). */
	public stop(record: KeyRecord) {
		if (record.probe !== undefined) lockDeadlines.remove(record.probe);
		record.bound = 0;
	}
}

/**
 * Ties the hold of `handle` (from a KeyedLock or Semaphore) to `thread`: when that thread dies
 * (task.cancel, a player's thread ended by PlayerRemoving), the hold is taken back and the key
 * passes to the next waiter, exactly as for a WithLock. For adapters such as ExecutionGuard's
 * AcquireLock; not part of the public API. Returns false (doing nothing) if the handle no longer holds.
 *
 * @example
 * ```ts
 * const [handle] = locks.Acquire(key, { timeout });
 * if (handle) bindHoldToThread(handle, coroutine.running());
 * ```
 */
export function bindHoldToThread(handle: LockHandle, thread: thread) {
	if (!isPermitHandle(handle) || !handle.held) return false;
	handle.record.engine.bind(handle, thread);
	return true;
}
