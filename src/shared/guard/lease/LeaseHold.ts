import { checkSelf } from "../arguments/check";
import { LeaseHandle, LeaseLostReason, LeaseRecord } from "./LeaseTypes";

/** What a hold asks of the lock that made it (LeaseLock implements it). */
export interface LeaseHoldOwner {
	/** Sends the owner-only release; returns what `Release()` returns. */
	releaseHold(hold: LeaseHold): boolean;
	/** Sends one renewal and applies its outcome to the hold. */
	renewHold(hold: LeaseHold): void;
	/** Declares the hold lost (local expiry reached, renewal failed or found another owner). */
	loseHold(hold: LeaseHold, reason: LeaseLostReason): void;
	/** Takes back a hold whose bound thread died (WithLock's fn killed). */
	abandonHold(hold: LeaseHold): void;
}

/** Where a hold is in its life. */
export type LeaseHoldState = "held" | "released" | "lost";

/**
 * One lease held by this server: the {@link LeaseHandle} callers get, with its renewal timer and its
 * local expiry timer. `expiresAt` is `os.clock()` based and counts from BEFORE the call that wrote
 * the record was sent, so the holder's own view always ends before the record's (see the README).
 *
 * @example
 * ```ts
 * const [lease] = lock.TryAcquire("season_reset");
 * if (lease?.IsValid()) writeWithToken(lease.token);
 * ```
 */
export class LeaseHold implements LeaseHandle {
	/** @internal */ public state: LeaseHoldState = "held";
	/** @internal the thread this hold is bound to (WithLock), checked at each renewal */
	public bound: thread | undefined;
	/** `os.clock()` when the lease ends unless renewed (record's expiry, measured locally). */
	public expiresAt: number;
	/** The record as this holder last wrote it. */
	public record: LeaseRecord;
	/** The record's fencing token (a renewal keeps it). */
	public readonly token: number;
	/** The owner id in the record (`JobId:GUID`). */
	public readonly owner: string;
	/** The holder's JobId. */
	public readonly jobId: string;
	private renewTimer: thread | undefined;
	private expiryTimer: thread | undefined;

	/**
	 * Made by the lock on a grant; starts the renewal and local expiry timers.
	 *
	 * @example
	 * ```ts
	 * const hold = new LeaseHold(lock, key, storeKey, record, sentAt, ttl, margin, thread);
	 * ```
	 */
	public constructor(
		private readonly lock: LeaseHoldOwner,
		public readonly key: string,
		public readonly storeKey: string,
		record: LeaseRecord,
		/** `os.clock()` before the acquiring call was sent. */
		public readonly acquiredAt: number,
		/** Lease length in seconds. */
		public readonly ttl: number,
		/** Seconds before `expiresAt` the hold stops being valid. */
		public readonly localMargin: number,
		/** The thread that acquired it (reentrancy check). */
		public readonly thread: thread,
	) {
		this.record = record;
		this.token = record.token;
		this.owner = record.owner;
		this.jobId = record.jobId;
		this.expiresAt = acquiredAt + ttl;
		this.schedule();
	}

	/**
	 * Releases the lease: ONE owner-only UpdateAsync (yields). True if this handle still held the key;
	 * false (with a warning) once it was released, lost or taken over — a newer holder's lease is
	 * never freed (Laravel #20709). A store failure warns and returns true: the item frees itself at
	 * its expiry.
	 *
	 * @example
	 * ```ts
	 * if (!lease.Release()) warn("the lease ended before the work did");
	 * ```
	 */
	public Release(): boolean {
		checkSelf(this, LeaseHold, "LeaseHandle", "Release", "handle:Release()");
		return this.lock.releaseHold(this);
	}

	/**
	 * True while this server may act on the lease: held, not lost, and `os.clock()` before its local
	 * expiry minus the margin. Never yields (no store call); check it before every durable write,
	 * and pass `token` to that write.
	 *
	 * @example
	 * ```ts
	 * if (!lease.IsValid()) return; // lost: another server may hold it now
	 * ```
	 */
	public IsValid(): boolean {
		checkSelf(this, LeaseHold, "LeaseHandle", "IsValid", "handle:IsValid()");
		return this.state === "held" && os.clock() < this.expiresAt - this.localMargin;
	}

	/** @internal A renewal landed: the lease runs `ttl` from `sentAt` (os.clock before the call). */
	public renewed(record: LeaseRecord, sentAt: number) {
		this.record = record;
		this.expiresAt = sentAt + this.ttl;
		this.schedule();
	}

	/** @internal Stops both timers (release, loss). */
	public stopTimers() {
		const running = coroutine.running();
		for (const timer of [this.renewTimer, this.expiryTimer]) {
			if (timer !== undefined && timer !== running && coroutine.status(timer) === "suspended") task.cancel(timer);
		}
		this.renewTimer = undefined;
		this.expiryTimer = undefined;
	}

	// One renewal timer (every ttl / 3) and one expiry timer (at the local expiry minus the margin),
	// rescheduled after each renewal: onLockLost fires before the record can expire even when a
	// renewal call never returns.
	private schedule() {
		this.stopTimers();
		const untilLost = math.max(0, this.expiresAt - this.localMargin - os.clock());
		this.expiryTimer = task.delay(untilLost, () => {
			this.expiryTimer = undefined;
			if (this.state === "held") this.lock.loseHold(this, "RenewalFailed");
		});
		this.renewTimer = task.delay(this.ttl / 3, () => {
			this.renewTimer = undefined;
			if (this.state !== "held") return;
			if (this.bound !== undefined && coroutine.status(this.bound) === "dead") return this.lock.abandonHold(this);
			this.lock.renewHold(this);
		});
	}
}
