import { GuardError } from "../errors/GuardError";
import { KeyRecord } from "./KeyRecord";
import { waitCancelled, waitTimedOut } from "./lockErrors";
import { LockDeadline, lockDeadlines } from "./lockDeadlines";
import type { PermitEngine } from "./PermitEngine";
import type { PermitHandle } from "./PermitHandle";

/** A waiter's state: still queued, or how its wait ended. */
export const enum WaiterState {
	Waiting,
	Granted,
	Failed,
}

/**
 * One thread queued for a key. Nodes form a doubly linked list per key, so a waiter that times out
 * or is cancelled leaves the queue in O(1) and the queue never holds ghosts (async-mutex #54). The
 * node is also its own timeout entry in the shared deadline heap.
 *
 * @example
 * ```ts
 * const node = queue.enqueue(record, coroutine.running(), owner, undefined, 5, os.clock(), false);
 * while (node.state === WaiterState.Waiting) coroutine.yield();
 * ```
 */
export class WaiterNode implements LockDeadline {
	public previous: WaiterNode | undefined;
	public next: WaiterNode | undefined;
	public state = WaiterState.Waiting;
	public handle: PermitHandle | undefined;
	public error: GuardError | undefined;
	public deadline = 0;
	public heapIndex = -1;

	public constructor(
		private readonly queue: PermitQueue,
		public readonly record: KeyRecord,
		public readonly thread: thread,
		public readonly holderLabel: unknown,
		public readonly leaseTtl: number | undefined,
		public readonly startedAt: number,
		/** True for WithLock/RunWithLock: the hold stays bound to the thread after it resumes. */
		public readonly scoped: boolean,
	) {}

	public onDeadline() {
		this.queue.timeOut(this);
	}
}

function unlink(record: KeyRecord, node: WaiterNode) {
	const previous = node.previous;
	const following = node.next;
	if (previous === undefined) record.head = following;
	else previous.next = following;
	if (following === undefined) record.tail = previous;
	else following.previous = previous;
	node.previous = undefined;
	node.next = undefined;
	record.waiting -= 1;
}

/**
 * The waiting side of a {@link PermitEngine}: each key's FIFO queue of threads, their timeouts and
 * cancellations, and handing freed permits to the head of the queue. The engine owns the holds;
 * this owns the waiters.
 *
 * @example
 * ```ts
 * const queue = new PermitQueue(engine);
 * queue.handDown(record); // after a permit was freed
 * ```
 */
export class PermitQueue {
	public constructor(private readonly engine: PermitEngine) {}

	/** Appends the calling thread's node to `record`'s queue, with its timeout on the deadline heap. */
	public enqueue(
		record: KeyRecord,
		thread: thread,
		owner: unknown,
		leaseTtl: number | undefined,
		timeout: number | undefined,
		now: number,
		scoped: boolean,
	) {
		const node = new WaiterNode(this, record, thread, owner, leaseTtl, now, scoped);
		const tail = record.tail;
		node.previous = tail;
		if (tail === undefined) record.head = node;
		else tail.next = node;
		record.tail = node;
		record.waiting += 1;
		if (timeout !== undefined) {
			node.deadline = now + timeout;
			lockDeadlines.push(node);
		}
		return node;
	}

	/** Gives free permits to the queue's head waiters (skipping threads that died while queued). */
	public handDown(record: KeyRecord) {
		const engine = this.engine;
		while (record.held < engine.permits) {
			const node = record.head;
			if (node === undefined) return;
			unlink(record, node);
			lockDeadlines.remove(node);
			if (coroutine.status(node.thread) !== "suspended") {
				// task.cancel'ed (or otherwise ended) while queued: it can never use the permit.
				node.state = WaiterState.Failed;
				record.cancelled += 1;
				continue;
			}
			const leaseTtl = node.leaseTtl ?? engine.defaultLeaseTtl;
			// Bound until the waiter resumes and takes its handle: cancelled before that, it gives the key back.
			node.handle = engine.grant(record, node.holderLabel, leaseTtl, os.clock(), node.thread);
			node.state = WaiterState.Granted;
			// Deferred, not spawned: a chain of waiters that release at once must not nest resumes.
			task.defer(node.thread);
		}
	}

	/** A waiter's timeout from the deadline heap: it resumes with `Timeout`. */
	public timeOut(node: WaiterNode) {
		if (node.state !== WaiterState.Waiting) return;
		const record = node.record;
		record.timedOut += 1;
		const waited = os.clock() - node.startedAt;
		this.fail(node, waitTimedOut(this.engine.name, record.key, waited, record.holder?.acquiredAt), true);
	}

	/** Removes a queued waiter (promise cancelled); the thread is not resumed (the promise closes it). */
	public cancel(node: WaiterNode, why: string) {
		if (node.state !== WaiterState.Waiting) return;
		node.record.cancelled += 1;
		this.fail(node, waitCancelled(this.engine.name, node.record.key, why, os.clock() - node.startedAt), false);
	}

	/** Fails every waiter of `record` with `Cancelled` (ReleaseAll). */
	public cancelAll(record: KeyRecord) {
		let node = record.head;
		record.head = undefined;
		record.tail = undefined;
		record.waiting = 0;
		while (node !== undefined) {
			const following = node.next;
			node.previous = undefined;
			node.next = undefined;
			lockDeadlines.remove(node);
			record.cancelled += 1;
			node.state = WaiterState.Failed;
			const waited = os.clock() - node.startedAt;
			node.error = waitCancelled(this.engine.name, record.key, "ReleaseAll ended it", waited);
			if (coroutine.status(node.thread) === "suspended") task.defer(node.thread);
			node = following;
		}
	}

	private fail(node: WaiterNode, failure: GuardError, resume: boolean) {
		unlink(node.record, node);
		lockDeadlines.remove(node);
		node.state = WaiterState.Failed;
		node.error = failure;
		if (resume && coroutine.status(node.thread) === "suspended") task.defer(node.thread);
		this.engine.settle(node.record);
	}
}
