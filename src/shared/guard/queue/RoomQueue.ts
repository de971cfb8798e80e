import { PriorityBucket, QueueJob } from "./QueueJob";

/** How many recent execution times a room keeps for its estimated wait. */
export const RECENT_DURATIONS = 10;

/**
 * One room's state: its queue (one FIFO bucket per priority, buckets highest first), its running
 * jobs, its history ring and its recent execution times. Every change is O(1) in the number of
 * queued jobs (O(distinct priorities) to find a bucket); only status and positions walk the queue.
 * A room exists only while it has something queued, running or in its history (ExecutionQueue drops it).
 *
 * @example
 * ```ts
 * const room = new RoomQueue("forge_1", 50);
 * room.enqueue(job); // 1-based position
 * const next = room.popHead();
 * ```
 */
export class RoomQueue {
	/** Non-empty buckets, highest priority first. */
	public readonly buckets = new Array<PriorityBucket>();
	public queuedCount = 0;
	public readonly running = new Set<QueueJob>();
	public runningCount = 0;
	/** Set while the room starts queued jobs, so a job ending inside that loop does not start another loop. */
	public pumping = false;
	// The history ring: `historyCount` jobs from `historyStart` (oldest) on, at most `historySize`.
	private readonly history = new Array<QueueJob>();
	private historyStart = 0;
	public historyCount = 0;
	private readonly durations = new Array<number>();
	private durationNext = 0;
	private durationSum = 0;
	/** Jobs that started here (running ones included), completed, and threw / timed out / were stopped. */
	public started = 0;
	public completed = 0;
	public failed = 0;

	/**
	 * @param id the room id
	 * @param historySize finished jobs kept (the ring's size)
	 *
	 * @example
	 * ```ts
	 * new RoomQueue("arena_1", 50);
	 * ```
	 */
	public constructor(
		public readonly id: string,
		private readonly historySize: number,
	) {}

	/** True when nothing is queued, running or remembered: the queue may drop the room. */
	public isEmpty() {
		return this.queuedCount === 0 && this.runningCount === 0 && this.historyCount === 0;
	}

	/**
	 * Appends `job` to its priority's bucket and returns its 1-based position (jobs of a higher or
	 * equal priority go first).
	 *
	 * @example
	 * ```ts
	 * job.position = room.enqueue(job);
	 * ```
	 */
	public enqueue(job: QueueJob): number {
		const buckets = this.buckets;
		const priority = job.priority;
		let ahead = 0;
		let index = 0;
		let bucket: PriorityBucket | undefined;
		for (const size = buckets.size(); index < size; index++) {
			const candidate = buckets[index];
			if (candidate.priority < priority) break;
			ahead += candidate.count;
			if (candidate.priority === priority) {
				bucket = candidate;
				break;
			}
		}
		if (bucket === undefined) {
			bucket = { priority, count: 0 };
			buckets.insert(index, bucket);
		}
		const tail = bucket.tail;
		job.bucket = bucket;
		job.previous = tail;
		job.next = undefined;
		if (tail !== undefined) tail.next = job;
		else bucket.head = job;
		bucket.tail = job;
		bucket.count += 1;
		this.queuedCount += 1;
		return ahead + 1;
	}

	/** Takes the next job to start (highest priority, oldest first), or undefined when none waits. */
	public popHead(): QueueJob | undefined {
		const bucket = this.buckets[0];
		if (bucket === undefined) return undefined;
		const job = bucket.head!;
		this.unlink(job);
		return job;
	}

	/**
	 * Takes a queued `job` out of its bucket (cancel, or its turn came).
	 *
	 * @example
	 * ```ts
	 * room.unlink(job);
	 * ```
	 */
	public unlink(job: QueueJob) {
		const bucket = job.bucket!;
		const previous = job.previous;
		const following = job.next;
		if (previous !== undefined) previous.next = following;
		else bucket.head = following;
		if (following !== undefined) following.previous = previous;
		else bucket.tail = previous;
		job.previous = undefined;
		job.next = undefined;
		job.bucket = undefined;
		bucket.count -= 1;
		this.queuedCount -= 1;
		if (bucket.count === 0) {
			const buckets = this.buckets;
			// The emptied bucket is almost always the first (popHead); others are few (distinct priorities).
			const index = buckets[0] === bucket ? 0 : buckets.indexOf(bucket);
			buckets.remove(index);
		}
	}

	/** Queued jobs in start order. O(queue length). */
	public queuedInOrder(): Array<QueueJob> {
		const order = new Array<QueueJob>();
		for (const bucket of this.buckets) {
			let job = bucket.head;
			while (job !== undefined) {
				order.push(job);
				job = job.next;
			}
		}
		return order;
	}

	/** A queued job's 1-based position now. O(queue length ahead of it). */
	public positionOf(target: QueueJob): number {
		let position = 0;
		for (const bucket of this.buckets) {
			if (bucket !== target.bucket) {
				position += bucket.count;
				continue;
			}
			let job = bucket.head;
			while (job !== undefined) {
				position += 1;
				if (job === target) return position;
				job = job.next;
			}
		}
		return 0;
	}

	/** Remembers how long a job ran, for the estimated wait. */
	public recordDuration(seconds: number) {
		const durations = this.durations;
		const slot = this.durationNext;
		const old = durations[slot];
		if (old !== undefined) this.durationSum -= old;
		durations[slot] = seconds;
		this.durationSum += seconds;
		this.durationNext = (slot + 1) % RECENT_DURATIONS;
	}

	/** Mean of the last {@link RECENT_DURATIONS} execution times, or undefined when none finished yet. */
	public meanDuration(): number | undefined {
		const count = this.durations.size();
		return count > 0 ? math.max(0, this.durationSum / count) : undefined;
	}

	/** Adds an ended job to the history, dropping the oldest past `historySize`. */
	public remember(job: QueueJob) {
		const size = this.historySize;
		if (size === 0) return;
		const history = this.history;
		if (this.historyCount < size) {
			history[(this.historyStart + this.historyCount) % size] = job;
			this.historyCount += 1;
		} else {
			history[this.historyStart] = job;
			this.historyStart = (this.historyStart + 1) % size;
		}
	}

	/** The history, newest first, at most `limit` jobs. */
	public newestFirst(limit: number): Array<QueueJob> {
		const size = this.historySize;
		const entries = new Array<QueueJob>();
		const count = math.min(limit, this.historyCount);
		for (let offset = 0; offset < count; offset++) {
			entries.push(this.history[(this.historyStart + this.historyCount - 1 - offset) % size]);
		}
		return entries;
	}

	/** Drops history entries that ended at or before `cutoff` (`os.clock()`); returns how many went. */
	public forgetBefore(cutoff: number): number {
		const size = this.historySize;
		let dropped = 0;
		while (this.historyCount > 0) {
			const oldest = this.history[this.historyStart];
			if (oldest.finishedAt > cutoff) break;
			this.history[this.historyStart] = undefined!;
			this.historyStart = (this.historyStart + 1) % size;
			this.historyCount -= 1;
			dropped += 1;
		}
		return dropped;
	}
}
