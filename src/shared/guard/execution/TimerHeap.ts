/** Something with a deadline that can sit in a {@link TimerHeap}. */
export interface TimerEntry {
	/** `os.clock()` at which the entry is due. */
	deadline: number;
	/** Position in the heap, or -1 when not in it. Owned by the heap. */
	heapIndex: number;
}

/**
 * Entries due within this many seconds of "now" fire in the same pass, so float rounding between the
 * deadline and the scheduler's wake-up time never costs a whole extra frame.
 */
const EPSILON = 1e-4;

/**
 * One timer for many deadlines: a binary min-heap serviced by a single `task.delay` thread that is
 * always set for the earliest deadline. Pushing a later deadline costs O(log n) and no thread; only a
 * new earliest deadline reschedules the one thread. Because `task.delay` resumes on the first frame
 * past its time, every entry fires within one frame of its deadline. Removal is O(log n) by index.
 *
 * @example
 * ```ts
 * const heap = new TimerHeap<Entry>((entry) => print("due", entry.deadline));
 * heap.push({ deadline: os.clock() + 5, heapIndex: -1 });
 * ```
 */
export class TimerHeap<T extends TimerEntry> {
	private readonly items = new Array<T>();
	private scheduledThread?: thread;
	private scheduledFor = math.huge;
	private readonly serviceCallback = () => this.service();

	/** @param fire called once for each entry when it is due, after it left the heap */
	public constructor(private readonly fire: (entry: T, now: number) => void) {}

	/** Entries waiting. */
	public size() {
		return this.items.size();
	}

	/** Adds `entry` (its `deadline` set); it must not be in the heap already. */
	public push(entry: T) {
		const items = this.items;
		items.push(entry);
		this.siftUp(items.size() - 1);
		if (entry.deadline < this.scheduledFor) this.schedule(entry.deadline);
	}

	/** Takes `entry` out if it is in the heap; its timer will not fire. */
	public remove(entry: T) {
		const index = entry.heapIndex;
		if (index < 0) return;
		entry.heapIndex = -1;
		const items = this.items;
		const last = items.pop()!;
		if (last !== entry) {
			items[index] = last;
			last.heapIndex = index;
			this.siftDown(index);
			this.siftUp(last.heapIndex);
		}
		// The scheduled thread may now wake for nothing; it then reschedules for the new top. Cancelling it
		// here would cost a fresh thread on every push-remove pair, the common case for short runs.
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
		while (items.size() > 0 && items[0].deadline <= now + EPSILON) {
			const entry = items[0];
			this.remove(entry);
			this.fire(entry, now);
		}
		// `fire` may have pushed new entries (and scheduled); make sure the earliest one is covered.
		if (items.size() > 0 && items[0].deadline < this.scheduledFor) this.schedule(items[0].deadline);
	}

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
			if (items[child].deadline >= entry.deadline) break;
			items[index] = items[child];
			items[index].heapIndex = index;
			index = child;
		}
		items[index] = entry;
		entry.heapIndex = index;
	}
}
