import { DeadlineEntry, DeadlineHeap } from "../timing/DeadlineHeap";

/**
 * A lock timer: a waiter's timeout or a lease's end. It carries its own action, so one heap serves
 * every lock of the server without knowing what a waiter or a handle is.
 *
 * @example
 * ```ts
 * class WaiterNode implements LockDeadline {
 * 	public deadline = 0;
 * 	public heapIndex = -1;
 * 	public onDeadline() {
 * 		this.owner.timeOutWaiter(this);
 * 	}
 * }
 * ```
 */
export interface LockDeadline extends DeadlineEntry {
	/** Runs once, on the timer thread, when `os.clock()` reaches `deadline`. */
	onDeadline(): void;
}

/**
 * The one deadline heap shared by every KeyedLock and Semaphore: a server with many locks still
 * has a single timer thread. No early tolerance: a lease must never end before its `expiresAt`.
 *
 * @example
 * ```ts
 * node.deadline = now + timeout;
 * lockDeadlines.push(node); // node.onDeadline() runs at the deadline unless removed first
 * lockDeadlines.remove(node); // harmless for entries that were never pushed
 * ```
 */
export const lockDeadlines = new DeadlineHeap<LockDeadline>((entry) => entry.onDeadline());
