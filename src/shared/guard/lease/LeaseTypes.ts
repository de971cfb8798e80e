import { LockHandle } from "../lock/LockTypes";

/**
 * The value a lease keeps in its MemoryStore HashMap item, the one shape every cross-server part
 * reads (issue #11 contract). Times are Unix seconds of the WRITING server's clock
 * (`DateTime.now()`, millisecond resolution); see the lease README on clock skew.
 *
 * @example
 * ```ts
 * const record = leases.Peek("season_reset");
 * if (record) print(`held by ${record.jobId} since ${record.acquiredAt}, token ${record.token}`);
 * ```
 */
export interface LeaseRecord {
	/** `JobId .. ":" .. GUID`: one acquisition of one server (a new GUID per acquisition). */
	readonly owner: string;
	/** The holder's `game.JobId`. */
	readonly jobId: string;
	/** Fencing token: larger for every new holder of the key, kept while the key is free. */
	readonly token: number;
	/** When this holder took the key (holder's Unix seconds). */
	readonly acquiredAt: number;
	/** When the lease ends unless renewed (holder's Unix seconds). */
	readonly expiresAt: number;
	/** Set by an owner's release: the key is free, the item stays to keep the token. */
	readonly released?: true;
	/** The acquisition's `owner` option, as text, for people reading errors and logs. */
	readonly label?: string;
}

/**
 * Why a held lease was lost (the `reason` of `onLockLost`).
 * - `RenewalFailed`: renewals kept failing (store errors) until just before the local expiry;
 * - `AnotherOwner`: a renewal found another server's (or another acquisition's) owner in the item;
 * - `Missing`: a renewal found the item gone or released by someone else (MemoryStore lost it).
 */
export type LeaseLostReason = "RenewalFailed" | "AnotherOwner" | "Missing";

/**
 * A lease held by this server: a {@link LockHandle} whose `token` is the record's fencing token and
 * whose `acquiredAt`/`expiresAt` are this server's `os.clock()` (local validity, renewed every
 * `leaseTtl / 3`). Pass `token` to the durable write the lease protects.
 *
 * @example
 * ```ts
 * const [lease] = lock.TryAcquire("season_reset");
 * if (lease) print(lease.jobId, lease.token, lease.IsValid());
 * ```
 */
export interface LeaseHandle extends LockHandle {
	/** The owner id written in the item (`JobId:GUID`). */
	readonly owner: string;
	/** This server's JobId. */
	readonly jobId: string;
	/** The item key in the HashMap (the lock name as a prefix, then the key). */
	readonly storeKey: string;
	/** The record as last written by this holder (acquire or renewal). */
	readonly record: LeaseRecord;
}

/** Called when a held lease is lost; `handle.IsValid()` is already false. Runs in a thread of its own. */
export type LeaseLostCallback = (key: string, handle: LeaseHandle, reason: LeaseLostReason) => void;

/** Called when this server acquired (`"acquired"`) or released (`"released"`) a lease. Runs in a thread of its own. */
export type LeaseEventCallback = (key: string, handle: LeaseHandle) => void;

/**
 * Options of {@link MemoryStoreLeases} (and the MemoryStore part of `KeyedLock`'s options).
 *
 * @example
 * ```ts
 * const leases = new MemoryStoreLeases({ mapName: "ExecutionGuard.Leases", leaseTtl: 30 });
 * ```
 */
export interface MemoryStoreLeasesOptions {
	/** The HashMap's name (default `"ExecutionGuard.Leases"`); names are experience-wide. */
	readonly mapName?: string;
	/** Lease length in seconds (default 30); renewed every third of it while held. */
	readonly leaseTtl?: number;
	/** The service (default `game.GetService("MemoryStoreService")`); specs pass another server's. */
	readonly memoryStore?: MemoryStoreService;
	/** Largest clock difference assumed between servers, in seconds (default 2); see the README. */
	readonly maxClockSkew?: number;
	/** The holder stops trusting its lease this many seconds before its local expiry (default 1). */
	readonly localMargin?: number;
	/** How long the item (and so the token) is kept after its last write, in seconds (default 86400). */
	readonly tokenRetention?: number;
	/** Jitter source of every backoff: a `Random` or a `() => number` in [0, 1). */
	readonly random?: Random | (() => number);
}
