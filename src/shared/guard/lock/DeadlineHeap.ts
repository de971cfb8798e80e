/**
 * Something that must happen at a time (a waiter's timeout, a lease's end). The heap stores the
 * object itself, so scheduling allocates nothing per timer.
 */
export interface Deadline {
	/** `os.clock()` at which `onDeadline` runs. */
	deadline: number;
	/** Position in the heap (0-based); -1 or undefined when not scheduled. Owned by the heap. */
	heapIndex?: number;
	/** Runs once, on the timer thread, when `os.clock()` reaches `deadline`. */
	onDeadline(): void;
}

// One binary min-heap for every lock of the server, serviced by a single `task.delay` armed for the
// earliest deadline: no thread per timer, no per-frame polling. Removal is O(log n) through heapIndex.
const heap = new Array<Deadline>();
let armedThread: thread | undefined;
let armedFor = math.huge;

function swap(i: number, j: number) {
	const a = heap[i];
	const b = heap[j];
	heap[i] = b;
	heap[j] = a;
	b.heapIndex = i;
	a.heapIndex = j;
}

function siftUp(index: number) {
	while (index > 0) {
		const parent = (index - 1) >> 1;
		if (heap[parent].deadline <= heap[index].deadline) return;
		swap(index, parent);
		index = parent;
	}
}

function siftDown(index: number) {
	const size = heap.size();
	for (;;) {
		const left = index * 2 + 1;
		if (left >= size) return;
		const right = left + 1;
		let smallest = left;
		if (right < size && heap[right].deadline < heap[left].deadline) smallest = right;
		if (heap[index].deadline <= heap[smallest].deadline) return;
		swap(index, smallest);
		index = smallest;
	}
}

function fireDue() {
	armedThread = undefined;
	armedFor = math.huge;
	const now = os.clock();
	while (heap.size() > 0 && heap[0].deadline <= now) {
		const entry = heap[0];
		removeDeadline(entry);
		entry.onDeadline();
	}
	arm();
}

function arm() {
	if (heap.size() === 0) return;
	const earliest = heap[0].deadline;
	if (earliest >= armedFor) return;
	if (armedThread !== undefined) task.cancel(armedThread);
	armedFor = earliest;
	armedThread = task.delay(math.max(0, earliest - os.clock()), fireDue);
}

/** Schedules `entry.onDeadline()` at `entry.deadline` (the entry must not be scheduled already). */
export function scheduleDeadline(entry: Deadline) {
	const index = heap.size();
	heap.push(entry);
	entry.heapIndex = index;
	siftUp(index);
	if (entry.deadline < armedFor) arm();
}

/** Unschedules the entry; harmless if it is not scheduled. The armed timer is left to wake and re-arm. */
export function removeDeadline(entry: Deadline) {
	const index = entry.heapIndex;
	if (index === undefined || index < 0) return;
	entry.heapIndex = -1;
	const last = heap.pop()!;
	if (last === entry) return;
	heap[index] = last;
	last.heapIndex = index;
	siftDown(index);
	siftUp(last.heapIndex!);
}

/** How many deadlines are scheduled (for introspection and tests of leaks). */
export function pendingDeadlines() {
	return heap.size();
}
