import { GuardError } from "../../errors/GuardError";

/**
 * Who holds an experience-wide key, as another server sees it (the lease record's facts).
 *
 * @example
 * ```ts
 * const holder = leases.peek("season_reset");
 * if (holder) print(`held by ${holder.jobId} since ${holder.since}, token ${holder.token}`);
 * ```
 */
export interface LeaseHolder {
	/** The holding server's `game.JobId`. */
	readonly jobId: string;
	/** When it took the key (the holder's Unix seconds). */
	readonly since: number;
	/** The holder's fencing token (larger for every new holder of the key). */
	readonly token: number;
}

/**
 * A lease this server holds on one key. `Release` gives it back (owner only: it never frees a newer
 * holder's lease); it may yield.
 */
export interface HeldLease {
	readonly token: number;
	Release(): boolean;
	IsValid(): boolean;
}

/**
 * The part of the lease lock (`../../lease/`) the experience scope uses: one acquisition attempt and
 * a read of the current holder. Every method yields (one MemoryStore call each on the happy path).
 * The default is an adapter over the lease lock; `experience.leases` in the guard's config replaces
 * it (another backend, or a fake in a spec).
 *
 * @example
 * ```ts
 * const [lease, err] = leases.tryAcquire("daily_reward_42_20260");
 * if (lease) { work(); lease.Release(); } else if (GuardError.is(err, "AlreadyRunning")) print(err.details.holderJobId);
 * ```
 */
export interface ExperienceLeases {
	/**
	 * One attempt to take `key` for the whole experience. Busy: `(undefined, GuardError "AlreadyRunning")`
	 * whose details hold `{ key, holderJobId, since, token }`; a store failure: `(undefined, the error)`.
	 */
	tryAcquire(key: string): LuaTuple<[HeldLease | undefined, GuardError | undefined]>;
	/** The live holder of `key`, or undefined when it is free, released or expired. */
	peek(key: string): LeaseHolder | undefined;
}

/**
 * The holder named by an AlreadyRunning error of {@link ExperienceLeases.tryAcquire}.
 *
 * @example
 * ```ts
 * const holder = holderOf(err); // { jobId, since, token }
 * ```
 */
export function holderOf(err: GuardError): LeaseHolder {
	const details = err.details;
	return {
		jobId: tostring(details.holderJobId),
		since: typeIs(details.since, "number") ? details.since : 0,
		token: typeIs(details.token, "number") ? details.token : 0,
	};
}
