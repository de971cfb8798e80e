// RunPeriod answers `(done, err)`, the two-value style Luau callers get everywhere in the toolkit.
/* eslint-disable roblox-ts/no-user-defined-lua-tuple */
import { DataStoreService } from "@rbxts/services";
import { EffectStore, GuardError, KeyedLock, LeaseHandle, LeaseLostReason, ServiceHooks } from "shared/guard";

/** The lease key every server asks for: one holder in the whole experience at a time. */
export const SEASON_JOB_KEY = "season_reset";
/** The DataStore (and the lock's name) of the season job. */
export const SEASON_STORE_NAME = "SeasonJob";
/** The document the job writes: the current season, reset once per period. */
export const SEASON_DOCUMENT_KEY = "season_state";

/** The season document (`SeasonJob` DataStore, key `season_state`), inside EffectStore's envelope. */
export interface SeasonState {
	/** The period index (`floor(unix / periodSeconds)`) of the last reset. */
	readonly season: number;
	/** Resets ever applied (exactly one per period, whichever server ran it). */
	readonly resets: number;
	/** JobId of the server whose write did the last reset. */
	readonly lastResetBy: string;
	/** The fencing token that write carried. */
	readonly lastToken: number;
}

/**
 * What the job reports (the demo's timeline reads these through `onEvent`; the log has the same):
 * the lease `acquired`, `released`, `lost`; a period's reset `ran` (this write applied it) or was
 * `done` already (another holder's write did); a write `refused` for a stale token.
 */
export interface SeasonJobEvent {
	readonly kind: "acquired" | "released" | "lost" | "ran" | "done" | "refused";
	readonly key: string;
	readonly token: number;
	readonly jobId: string;
	/** This server's Unix time (seconds). */
	readonly at: number;
	readonly season?: number;
	readonly reason?: LeaseLostReason;
}

/** Constructor dependencies of {@link SeasonJobService} (all optional: defaults are the real services). */
export interface SeasonJobDeps {
	/** The lease's MemoryStoreService (default this server's; specs pass another server's or a wrapper). */
	readonly memoryStore?: MemoryStoreService;
	/** The season document's DataStore (default `DataStoreService.GetDataStore("SeasonJob")`). */
	readonly seasonStore?: GlobalDataStore;
	/** Seconds per season (default 600: a reset every 10 minutes). */
	readonly periodSeconds?: number;
	/** Lease length (default 30 s; renewed every 10 s). */
	readonly leaseTtl?: number;
	/** How often a server that is not the holder asks again (default leaseTtl / 2, jittered). */
	readonly retrySeconds?: number;
	/** Unix seconds for the period (default `os.time`). */
	readonly now?: () => number;
	readonly log?: (line: string) => void;
	/** Every lease and job event, in order (see {@link SeasonJobEvent}). */
	readonly onEvent?: (event: SeasonJobEvent) => void;
}

/**
 * One experience-wide job, run by one server at a time: whoever holds the `SeasonJob` MemoryStore
 * lease resets the season once per period (a leaderboard rebuild would sit in the same place). The
 * write goes through an {@link EffectStore} with the period as its op id (one reset per period, even
 * when two servers both think they hold the lease) and the lease's token as its fence (a paused or
 * partitioned old holder's late write is refused: `StaleToken`). Every other server just retries the
 * lease every `retrySeconds`, so a crashed holder is replaced after its lease runs out.
 *
 * @example
 * ```ts
 * const job = new SeasonJobService({ periodSeconds: 600, onEvent: (e) => print(e.kind, e.token) });
 * registry.Register("SeasonJobService", job); // Start spawns the loop; Destroy releases the lease
 * ```
 */
export class SeasonJobService implements ServiceHooks {
	/** The experience-wide lock (`strategy: "MemoryStore"`). */
	public readonly lock: KeyedLock;
	/** The season document's exactly-once, fenced writes. */
	public readonly seasons: EffectStore;
	private readonly periodSeconds: number;
	private readonly retrySeconds: number;
	private readonly now: () => number;
	private readonly log: (line: string) => void;
	private readonly onEvent?: (event: SeasonJobEvent) => void;
	private readonly random = new Random();
	private destroyed = false;
	private loop?: thread;
	private lastPeriodDone?: number;

	/**
	 * @param deps see {@link SeasonJobDeps}
	 *
	 * @example
	 * ```ts
	 * new SeasonJobService({ memoryStore: MemoryStoreService, periodSeconds: 60, log: () => {} });
	 * ```
	 */
	public constructor(deps: SeasonJobDeps = {}) {
		const leaseTtl = deps.leaseTtl ?? 30;
		this.periodSeconds = deps.periodSeconds ?? 600;
		this.retrySeconds = deps.retrySeconds ?? leaseTtl / 2;
		this.now = deps.now ?? (() => os.time());
		this.log = deps.log ?? print;
		this.onEvent = deps.onEvent;
		this.lock = new KeyedLock({
			strategy: "MemoryStore",
			name: SEASON_STORE_NAME,
			leaseTtl,
			memoryStore: deps.memoryStore,
			onAcquired: (key, lease) => this.report("acquired", key, lease as LeaseHandle),
			onReleased: (key, lease) => this.report("released", key, lease as LeaseHandle),
			onLockLost: (key, lease, reason) => this.report("lost", key, lease, undefined, reason),
		});
		this.seasons = new EffectStore({
			dataStore: deps.seasonStore ?? DataStoreService.GetDataStore(SEASON_STORE_NAME),
		});
	}

	/**
	 * Lifecycle hook: spawns the loop (try the lease; while held, reset each new period).
	 *
	 * @example
	 * ```ts
	 * registry.StartAll(); // calls job.Start()
	 * ```
	 */
	public Start() {
		this.loop = task.spawn(() => {
			while (!this.destroyed) {
				const [lease] = this.lock.TryAcquire(SEASON_JOB_KEY);
				if (lease !== undefined) this.holdAndRun(lease as LeaseHandle);
				if (this.destroyed) break;
				task.wait(this.retrySeconds * (0.75 + 0.5 * this.random.NextNumber()));
			}
		});
	}

	/**
	 * Lifecycle hook (shutdown): stops the loop and releases the lease at once, so another server
	 * takes over without waiting for the TTL. Yields for the release (one UpdateAsync).
	 *
	 * @example
	 * ```ts
	 * registry.DestroyAll(); // in BindToClose
	 * ```
	 */
	public Destroy() {
		this.destroyed = true;
		if (this.loop !== undefined && coroutine.status(this.loop) === "suspended") task.cancel(this.loop);
		this.lock.ReleaseAll();
	}

	/**
	 * The job's one durable write: the season reset of `period`, fenced by `lease.token`. Applied at
	 * most once per period (the op id); refused with `StaleToken` when a newer holder's token already
	 * wrote. Returns true when the period is done (by this write or an earlier one). Yields.
	 *
	 * @example
	 * ```ts
	 * job.RunPeriod(lease, math.floor(os.time() / 600));
	 * ```
	 */
	public RunPeriod(lease: LeaseHandle, period: number): LuaTuple<[boolean, GuardError | undefined]> {
		const jobId = lease.jobId;
		const token = lease.token;
		const [result, err] = this.seasons.Apply(
			SEASON_DOCUMENT_KEY,
			`season_${period}`,
			{ season: period },
			(data: SeasonState | undefined, payload: { season: number }): SeasonState => ({
				season: payload.season,
				resets: (data?.resets ?? 0) + 1,
				lastResetBy: jobId,
				lastToken: token,
			}),
			{ fence: { name: SEASON_STORE_NAME, token } },
		);
		if (result !== undefined) {
			this.report(result.applied ? "ran" : "done", SEASON_JOB_KEY, lease, period);
			return $tuple(true, undefined);
		}
		if (GuardError.is(err, "StaleToken")) this.report("refused", SEASON_JOB_KEY, lease, period);
		else this.log(`[SeasonJob] season ${period} not written yet: ${tostring(err)}`);
		return $tuple(false, err);
	}

	// While the lease is valid: reset each period not yet done, then sleep to the next boundary in
	// steps of at most a third of the TTL (no store calls; the lock renews in the background).
	private holdAndRun(lease: LeaseHandle) {
		while (!this.destroyed && lease.IsValid()) {
			const period = math.floor(this.now() / this.periodSeconds);
			if (period !== this.lastPeriodDone) {
				const [done, err] = this.RunPeriod(lease, period);
				if (done) this.lastPeriodDone = period;
				else if (GuardError.is(err, "StaleToken")) break;
			}
			const untilNext = (period + 1) * this.periodSeconds - this.now();
			task.wait(math.clamp(untilNext, 0.5, 3));
		}
		if (lease.IsValid()) lease.Release();
	}

	private report(
		kind: SeasonJobEvent["kind"],
		key: string,
		lease: LeaseHandle,
		season?: number,
		reason?: LeaseLostReason,
	) {
		const event: SeasonJobEvent = {
			kind,
			key,
			token: lease.token,
			jobId: lease.jobId,
			at: this.now(),
			season,
			reason,
		};
		const about = season !== undefined ? ` season ${season}` : "";
		const why = reason !== undefined ? ` (${reason})` : "";
		this.log(`[SeasonJob] ${kind} ${key}${about} token ${lease.token} on ${lease.jobId}${why}`);
		this.onEvent?.(event);
	}
}
