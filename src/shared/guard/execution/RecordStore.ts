import { DeadlineEntry, DeadlineHeap } from "../timing/DeadlineHeap";
import { RunRecord, SweepEntry, TIMER_TOLERANCE, TimerKind } from "./RunRecord";

/** Below this size the map is never rebuilt: rebuilding tiny maps would cost more than it frees. */
const MIN_REBUILD_PEAK = 256;

/**
 * The guard's records by key, with the memory bounds: result TTL, a record cap evicting the records
 * that finished longest ago, prefix removal. Finished records enter a FIFO in finish order (the TTL is
 * the same for every key, so finish order is expiry order); a record that finishes again is queued
 * again and its older entry is skipped by its finish time stamp — no search, O(1) per finish.
 *
 * Luau tables never shrink when keys are removed, only when they are rebuilt by a later insert; so
 * after mass removal the store copies the survivors into a fresh map, and memory really returns.
 *
 * @example
 * ```ts
 * const store = new RecordStore(heap, 60, 1000);
 * const record = store.get("daily_reward_42_2026-01-01") ?? store.create("daily_reward_42_2026-01-01");
 * ```
 */
export class RecordStore {
	/**
	 * Records by key. Replaced by a fresh map when rebuilt: read it through the store, or keep it only
	 * with {@link onMapReplaced} set (the guard's cached-hit path does, to save a table read per hit).
	 */
	public map = new Map<string, RunRecord>();
	/** Told the new map whenever `map` is replaced. */
	public onMapReplaced: ((map: Map<string, RunRecord>) => void) | undefined;
	private size = 0;
	private peak = 0;
	private queue = new Array<RunRecord>();
	/** The `finishedAt` of each queued record when it was queued: an entry is stale once they differ. */
	private queueStamps = new Array<number>();
	private head = 0;
	private readonly sweepEntry: SweepEntry = { kind: TimerKind.Sweep, deadline: 0, heapIndex: -1 };
	/** `maxRecords`, or infinity when unset: one number test per new record, no nil read. */
	private readonly cap: number;
	/** True when a TTL or a cap is set (finished records must then be queued). */
	public readonly bounded: boolean;
	/**
	 * Records removed so far by expiry, the cap or prefix removal. Counted here, where every removal
	 * happens, so no removal path can go uncounted (an eviction once did, counted elsewhere).
	 */
	public removed = 0;
	/** Cache hits of removed records (the global count is the sum over records plus this). */
	public removedCacheHits = 0;
	/** Runs of removed records (`totalExecutions` is the sum of `executionCount` over records plus this). */
	public removedExecutions = 0;

	public constructor(
		private readonly timers: DeadlineHeap<DeadlineEntry>,
		private readonly resultTtl: number | undefined,
		maxRecords: number | undefined,
	) {
		this.bounded = resultTtl !== undefined || maxRecords !== undefined;
		this.cap = maxRecords ?? math.huge;
	}

	/** The record for `key`, if any. */
	public get(key: string) {
		return this.map.get(key);
	}

	/** All records (read-only use). */
	public all(): ReadonlyMap<string, RunRecord> {
		return this.map;
	}

	/**
	 * A new record for `key`, which must not have one, already Running its first execution (started
	 * at `startedAt`): a first run writes no field twice. All 8 fields in one constructor (one 8-slot table).
	 *
	 * @example
	 * ```ts
	 * const record = store.createRunning("arena_init", os.clock());
	 * ```
	 */
	public createRunning(key: string, startedAt: number) {
		const record: RunRecord = {
			key,
			status: "Running",
			result: undefined,
			executionCount: 1,
			startedAt,
			finishedAt: undefined,
			active: undefined,
			stats: undefined,
		};
		this.map.set(key, record);
		const size = this.size + 1;
		this.size = size;
		if (size > this.peak) this.peak = size;
		if (size > this.cap) this.evictOldest();
		return record;
	}

	/**
	 * A new Idle record for `key`, which must not have one (a result adopted from another server).
	 *
	 * @example
	 * ```ts
	 * const record = store.get(key) ?? store.create(key);
	 * ```
	 */
	public create(key: string) {
		const record = this.createRunning(key, 0);
		record.status = "Idle";
		record.executionCount = 0;
		record.startedAt = undefined;
		return record;
	}

	/** Called when a record stops running: queues it for expiry/eviction when bounds are set. */
	public noteFinished(record: RunRecord) {
		if (!this.bounded) return;
		this.queue.push(record);
		this.queueStamps.push(record.finishedAt!);
		if (this.resultTtl !== undefined && this.sweepEntry.heapIndex < 0) {
			this.sweepEntry.deadline = (record.finishedAt ?? os.clock()) + this.resultTtl;
			this.timers.push(this.sweepEntry);
		}
		if (this.size > this.cap) this.evictOldest();
	}

	/** Removes `record` unless it is running. Returns whether it was removed. */
	public remove(record: RunRecord) {
		if (record.status === "Running" || this.map.get(record.key) !== record) return false;
		this.map.delete(record.key);
		this.size -= 1;
		this.removed += 1;
		this.removedCacheHits += record.stats?.cacheHits ?? 0;
		this.removedExecutions += record.executionCount;
		this.shrinkIfSparse();
		return true;
	}

	/** Removes every record whose key starts with `prefix`, except running ones. Returns [removed, skipped]. */
	public removePrefix(prefix: string): [number, number] {
		const length = prefix.size();
		const matching = new Array<RunRecord>();
		for (const [key, record] of this.map) {
			if (key.sub(1, length) === prefix) matching.push(record);
		}
		let removed = 0;
		for (const record of matching) if (this.remove(record)) removed += 1;
		return [removed, matching.size() - removed];
	}

	/** Timer callback: removes every record whose TTL has passed, then re-arms for the next one. */
	public sweep(now: number) {
		const ttl = this.resultTtl!;
		const queue = this.queue;
		while (this.head < queue.size()) {
			const record = queue[this.head];
			if (this.isCurrent(this.head)) {
				const expiresAt = (record.finishedAt ?? now) + ttl;
				if (expiresAt > now + TIMER_TOLERANCE) {
					this.sweepEntry.deadline = expiresAt;
					this.timers.push(this.sweepEntry);
					break;
				}
				this.remove(record);
			}
			this.pop();
		}
		this.compactQueue();
	}

	/** A queue entry is current while its record is still stored, not running, and not queued again since. */
	private isCurrent(index: number) {
		const record = this.queue[index];
		return (
			record.finishedAt === this.queueStamps[index] &&
			record.status !== "Running" &&
			this.map.get(record.key) === record
		);
	}

	private pop() {
		// The slot keeps its reference (a nil would leave a hole that breaks the array's length);
		// compaction drops it once half the queue is consumed.
		this.head += 1;
	}

	private evictOldest() {
		const queue = this.queue;
		while (this.size > this.cap && this.head < queue.size()) {
			const record = queue[this.head];
			if (this.isCurrent(this.head)) this.remove(record);
			this.pop();
		}
		this.compactQueue();
	}

	private compactQueue() {
		if (this.head < 64 || this.head * 2 < this.queue.size()) return;
		const queue = new Array<RunRecord>();
		const stamps = new Array<number>();
		for (let index = this.head; index < this.queue.size(); index++) {
			queue.push(this.queue[index]);
			stamps.push(this.queueStamps[index]);
		}
		this.queue = queue;
		this.queueStamps = stamps;
		this.head = 0;
	}

	private shrinkIfSparse() {
		if (this.peak < MIN_REBUILD_PEAK || this.size * 4 > this.peak) return;
		const fresh = new Map<string, RunRecord>();
		for (const [key, record] of this.map) fresh.set(key, record);
		this.map = fresh;
		this.peak = this.size;
		this.onMapReplaced?.(fresh);
	}
}
