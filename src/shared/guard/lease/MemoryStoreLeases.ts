import { HttpService } from "@rbxts/services";
import { checkSelf } from "../arguments/check";
import { callWithRetry } from "./storeRetry";
import { checkLeasesOptions, checkStoreKey } from "./leaseOptions";
import { TakeRequest, isHeld, releaseTransform, renewTransform, takeTransform, unixNow } from "./leaseRecord";
import { LeaseRecord, MemoryStoreLeasesOptions } from "./LeaseTypes";

/** Defaults of {@link MemoryStoreLeasesOptions}. */
export const LEASE_DEFAULTS = {
	mapName: "ExecutionGuard.Leases",
	leaseTtl: 30,
	maxClockSkew: 2,
	localMargin: 1,
	tokenRetention: 86400,
} as const;

/** What one acquisition's UpdateAsync found: granted, held by someone else, or the store failed. */
export type TakeOutcome =
	| { readonly granted: LeaseRecord; readonly heldBy?: undefined; readonly failure?: undefined }
	| { readonly granted?: undefined; readonly heldBy: LeaseRecord; readonly failure?: undefined }
	| { readonly granted?: undefined; readonly heldBy?: undefined; readonly failure: unknown };

/** What one renewal found. */
export type RenewOutcome =
	| { readonly renewed: LeaseRecord; readonly lost?: undefined; readonly failure?: undefined }
	| { readonly renewed?: undefined; readonly lost: "AnotherOwner" | "Missing"; readonly failure?: undefined }
	| { readonly renewed?: undefined; readonly lost?: undefined; readonly failure: unknown };

type HashMapTransform = (current: unknown) => unknown;
interface UntypedHashMap {
	GetAsync(key: string): unknown;
	UpdateAsync(key: string, transform: HashMapTransform, expiration: number): unknown;
}

/**
 * The lease records in one MemoryStore HashMap: every acquisition, renewal and release is ONE
 * `UpdateAsync` (retried only on transient errors, with backoff and jitter), `Peek` one `GetAsync`.
 * `KeyedLock({ strategy: "MemoryStore" })` is built on it (through `LeaseLock`); other parts
 * (RunOnce across servers, the demo's report) may read it directly. Every method yields.
 *
 * @example
 * ```ts
 * const leases = new MemoryStoreLeases({ mapName: "ExecutionGuard.Leases", leaseTtl: 30 });
 * const holder = leases.Peek("SeasonJob/season_reset");
 * if (holder) print(`${holder.jobId} holds it since ${holder.acquiredAt} (token ${holder.token})`);
 * ```
 */
export class MemoryStoreLeases {
	/** The HashMap's name. */
	public readonly mapName: string;
	/** Default lease length in seconds. */
	public readonly leaseTtl: number;
	/** Clock difference between servers the expiry check allows for, in seconds. */
	public readonly maxClockSkew: number;
	/** Seconds before its local expiry a holder stops trusting its lease. */
	public readonly localMargin: number;
	/** MemoryStore expiration of every write: how long a free key keeps its token. */
	public readonly tokenRetention: number;
	/** This server's JobId as written in records (`"local"` where JobId is empty, as in Studio). */
	public readonly jobId: string;
	/** Jitter source of the retries. */
	public readonly random: Random | (() => number) | undefined;
	private readonly map: UntypedHashMap;

	/**
	 * @param options map name, default TTL, clock-skew allowance, local margin, token retention, the
	 * MemoryStoreService to use (default: this server's). Bad options throw InvalidArgument.
	 *
	 * @example
	 * ```ts
	 * const leases = new MemoryStoreLeases({ leaseTtl: 60, memoryStore: otherServersService });
	 * ```
	 */
	public constructor(options?: MemoryStoreLeasesOptions) {
		checkLeasesOptions("MemoryStoreLeases.new", options);
		this.mapName = options?.mapName ?? LEASE_DEFAULTS.mapName;
		this.leaseTtl = options?.leaseTtl ?? LEASE_DEFAULTS.leaseTtl;
		this.maxClockSkew = options?.maxClockSkew ?? LEASE_DEFAULTS.maxClockSkew;
		this.localMargin = options?.localMargin ?? LEASE_DEFAULTS.localMargin;
		this.tokenRetention = options?.tokenRetention ?? LEASE_DEFAULTS.tokenRetention;
		this.random = options?.random;
		const service = options?.memoryStore ?? game.GetService("MemoryStoreService");
		this.map = service.GetHashMap(this.mapName) as unknown as UntypedHashMap;
		this.jobId = game.JobId !== "" ? game.JobId : "local";
	}

	/**
	 * The record holding `key` now, or undefined when it is free (absent, released or expired). One
	 * `GetAsync`; throws the store's error when it fails past its retries.
	 *
	 * @example
	 * ```ts
	 * const record = leases.Peek("SeasonJob/season_reset");
	 * print(record ? `token ${record.token} until ${record.expiresAt}` : "free");
	 * ```
	 */
	public Peek(key: string): LeaseRecord | undefined {
		checkSelf(this, MemoryStoreLeases, "MemoryStoreLeases", "Peek", "leases:Peek(key)");
		const record = this.ReadRecord(key);
		return isHeld(record, unixNow(), this.maxClockSkew) ? record : undefined;
	}

	/**
	 * The raw record of `key` (released and expired ones too: their token is the last one handed
	 * out), or undefined when MemoryStore has no item. One `GetAsync`.
	 *
	 * @example
	 * ```ts
	 * print("last token", leases.ReadRecord("SeasonJob/season_reset")?.token);
	 * ```
	 */
	public ReadRecord(key: string): LeaseRecord | undefined {
		checkSelf(this, MemoryStoreLeases, "MemoryStoreLeases", "ReadRecord", "leases:ReadRecord(key)");
		checkStoreKey("MemoryStoreLeases.ReadRecord", key);
		const [ok, value] = callWithRetry(this.policy(3, undefined), () => this.map.GetAsync(key));
		if (!ok) error(value, 0);
		return value as LeaseRecord | undefined;
	}

	/** A new owner id for one acquisition: this server's JobId and a fresh GUID. */
	public newOwner() {
		return `${this.jobId}:${HttpService.GenerateGUID(false)}`;
	}

	/**
	 * One acquisition (internal to LeaseLock): ONE UpdateAsync that takes the key if it is free,
	 * expired, released or ours; retried on transient errors until `deadline` (`os.clock()`).
	 */
	public take(storeKey: string, request: TakeRequest, deadline: number | undefined): TakeOutcome {
		let seen: LeaseRecord | undefined;
		const [ok, value] = callWithRetry(this.policy(4, deadline), () =>
			this.map.UpdateAsync(
				storeKey,
				(current) => {
					seen = current as LeaseRecord | undefined;
					return takeTransform(seen, request, unixNow());
				},
				this.tokenRetention,
			),
		);
		if (!ok) return { failure: value };
		if (value !== undefined) return { granted: value as LeaseRecord };
		return { heldBy: seen! };
	}

	/** One renewal (internal): ONE UpdateAsync extending our record, retried until `deadline`. */
	public renew(storeKey: string, owner: string, ttl: number, deadline: number): RenewOutcome {
		let seen: LeaseRecord | undefined;
		const [ok, value] = callWithRetry(this.policy(1000, deadline), () =>
			this.map.UpdateAsync(
				storeKey,
				(current) => {
					seen = current as LeaseRecord | undefined;
					return renewTransform(seen, owner, ttl, unixNow());
				},
				this.tokenRetention,
			),
		);
		if (!ok) return { failure: value };
		if (value !== undefined) return { renewed: value as LeaseRecord };
		const lostTo = seen as LeaseRecord | undefined;
		return { lost: lostTo !== undefined && lostTo.owner !== owner ? "AnotherOwner" : "Missing" };
	}

	/**
	 * One release (internal): ONE UpdateAsync marking our record released. Returns true if the item
	 * was ours (or an earlier try of this release landed), false if it was not — a newer holder's
	 * lease is never touched — and the store's error if it kept failing.
	 */
	public release(storeKey: string, owner: string): [true, boolean] | [false, unknown] {
		let seen: LeaseRecord | undefined;
		const result = callWithRetry(this.policy(4, undefined), () =>
			this.map.UpdateAsync(
				storeKey,
				(current) => {
					seen = current as LeaseRecord | undefined;
					return releaseTransform(seen, owner, unixNow());
				},
				this.tokenRetention,
			),
		);
		if (!result[0]) return result;
		const landedBefore = seen !== undefined && seen.owner === owner && seen.released === true;
		return [true, result[1] !== undefined || landedBefore];
	}

	private policy(attempts: number, deadline: number | undefined) {
		return { attempts, deadline, baseDelay: 0.25, maxDelay: 4, random: this.random };
	}
}
