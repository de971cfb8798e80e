/**
 * Something with a deadline that can sit in a {@link DeadlineHeap}: a run's timeout, a joiner's
 * wait, the expiry sweep, a lock waiter's timeout, a lease's end. The heap stores the object itself
 * and writes its position into it, so scheduling allocates nothing per timer and removal is
 * O(log n) without a search.
 *
 * @example
 * ```ts
 * interface JoinTimeout extends DeadlineEntry {
 * 	readonly thread: thread;
 * }
 * const entry: JoinTimeout = { thread: coroutine.running(), deadline: os.clock() + 5, heapIndex: -1 };
 * ```
 */
export interface DeadlineEntry {
	/**
	 * `os.clock()` at which the entry is due. Set it before `push`, and do not change it while the
	 * entry is in the heap (the heap's order would silently break).
	 *
	 * @example
	 * ```ts
	 * entry.deadline = os.clock() + timeoutSeconds;
	 * heap.push(entry);
	 * ```
	 */
	deadline: number;
	/**
	 * Position in the heap (0-based), or -1 when not in it. Owned by the heap; callers only read it
	 * (`heapIndex >= 0` means "scheduled"). May be absent on entries that have never been scheduled,
	 * so objects that seldom need a timer (unleased lock handles, runs that never yield) carry no
	 * field for it.
	 *
	 * @example
	 * ```ts
	 * if (entry.heapIndex !== undefined && entry.heapIndex >= 0) print("still pending");
	 * ```
	 */
	heapIndex?: number;
}

/**
 * One timer for many deadlines: a binary min-heap serviced by a single `task.delay` thread that is
 * always set for the earliest deadline. No thread per timer and no per-frame polling: pushing a
 * later deadline costs O(log n) and nothing else; only a new earliest deadline reschedules the one
 * thread. Because `task.delay` resumes on the first frame past its time, every entry fires within
 * one frame of its deadline.
 *
 * Edges: `fire` runs on the timer thread, after the entry has left the heap, so it may push the same
 * entry again or push and remove others. Entries with equal deadlines fire in the same pass, in heap
 * order, which is not necessarily insertion order (no caller depends on it). `fire` must not throw:
 * an error ends the pass with nothing scheduled, and the entries left wait for the next `push`.
 *
 * @example
 * ```ts
 * const heap = new DeadlineHeap<DeadlineEntry>((entry, now) => print("due", entry.deadline, "at", now));
 * const entry: DeadlineEntry = { deadline: os.clock() + 5, heapIndex: -1 };
 * heap.push(entry); // prints after ~5 s
 * heap.remove(entry); // ...unless taken out first
 * ```
 */
export class DeadlineHeap<T extends DeadlineEntry> {
	private readonly items = new Array<T>();
	private scheduledThread?: thread;
	private scheduledFor = math.huge;
	// Made once: `task.delay` gets the same function every time instead of a new closure per schedule.
	private readonly serviceCallback = () => this.service();

	/**
	 * @param fire called once for each entry when it is due, after it left the heap, with the
	 * `os.clock()` of the pass (one clock read for all entries fired together)
	 * @param earlyTolerance entries due within this many seconds after "now" fire in the same pass.
	 * A small value (the guard uses 1e-4) keeps float rounding between a deadline and the scheduler's
	 * wake-up time from costing a whole extra frame; 0 (the default) never fires an entry before its
	 * deadline, which a lease needs: its handle's `IsValid()` must not be true after it expired.
	 *
	 * @example
	 * ```ts
	 * const runTimers = new DeadlineHeap<ActiveRun>((run, now) => timeOut(run, now), 1e-4);
	 * const lockTimers = new DeadlineHeap<LockDeadline>((entry) => entry.onDeadline());
	 * ```
	 */
	public constructor(
		private readonly fire: (entry: T, now: number) => void,
		private readonly earlyTolerance = 0,
	) {}

	/**
	 * Schedules `entry` at `entry.deadline`. It must not be in the heap already (check
	 * `heapIndex >= 0`, or `remove` first): a second push would leave a stale copy behind.
	 * A deadline already past fires on the next frame, never synchronously inside `push`.
	 *
	 * @example
	 * ```ts
	 * waiter.deadline = os.clock() + timeout;
	 * heap.push(waiter);
	 * ```
	 */
	public push(entry: T) {
		// The sift-up is written out here rather than called: push is half of every push-remove pair
		// (each yielding run, each leased acquisition), and a method call costs more than the loop,
		// which usually stops at once because later deadlines arrive later.
		const items = this.items;
		const deadline = entry.deadline;
		let index = items.size();
		while (index > 0) {
			const parentIndex = (index - 1) >> 1;
			const parent = items[parentIndex];
			if (parent.deadline <= deadline) break;
			items[index] = parent;
			parent.heapIndex = index;
			index = parentIndex;
		}
		items[index] = entry;
		entry.heapIndex = index;
		if (deadline < this.scheduledFor) this.schedule(deadline);
	}

	/**
	 * Takes `entry` out so it will not fire; harmless if it is not in the heap (never pushed, already
	 * fired or removed), so callers need not track that themselves.
	 *
	 * @example
	 * ```ts
	 * heap.remove(run); // the run finished before its timeout
	 * ```
	 */
	public remove(entry: T) {
		const index = entry.heapIndex;
		if (index === undefined || index < 0) return;
		entry.heapIndex = -1;
		const items = this.items;
		const last = items.pop()!;
		if (last !== entry) {
			items[index] = last;
			last.heapIndex = index;
			// The moved entry may belong above or below the hole; at most one of these moves it.
			this.siftDown(index);
			this.siftUp(last.heapIndex!);
		}
		// The scheduled thread may now wake for nothing; it then reschedules for the new top. Cancelling it
		// here would cost a fresh thread on every push-remove pair, the common case for short runs and leases.
	}

	private schedule(deadline: number) {
		if (this.scheduledThread !== undefined) task.cancel(this.scheduledThread);
		this.scheduledFor = deadline;
		this.scheduledThread = task.delay(math.max(0, deadline - os.clock()), this.serviceCallback);
	}

	private service() {
		this.scheduledThread = undefined;
		this.scheduledFor = math.huge;
		const items = this.items;
		const now = os.clock();
		const dueBy = now + this.earlyTolerance;
		while (items.size() > 0 && items[0].deadline <= dueBy) {
			const entry = items[0];
			this.remove(entry);
			this.fire(entry, now);
		}
		// `fire` may have pushed new entries (and scheduled); make sure the earliest one is covered.
		if (items.size() > 0 && items[0].deadline < this.scheduledFor) this.schedule(items[0].deadline);
	}

	// Both sifts move a hole instead of swapping: one write per level instead of two, and the moving
	// entry's index is written once at the end.
	private siftUp(index: number) {
		const items = this.items;
		const entry = items[index];
		while (index > 0) {
			const parentIndex = (index - 1) >> 1;
			const parent = items[parentIndex];
			if (parent.deadline <= entry.deadline) break;
			items[index] = parent;
			parent.heapIndex = index;
			index = parentIndex;
		}
		items[index] = entry;
		entry.heapIndex = index;
	}

	private siftDown(index: number) {
		const items = this.items;
		const size = items.size();
		const entry = items[index];
		while (true) {
			let child = index * 2 + 1;
			if (child >= size) break;
			if (child + 1 < size && items[child + 1].deadline < items[child].deadline) child += 1;
			const smaller = items[child];
			if (smaller.deadline >= entry.deadline) break;
			items[index] = smaller;
			smaller.heapIndex = index;
			index = child;
		}
		items[index] = entry;
		entry.heapIndex = index;
	}
}
