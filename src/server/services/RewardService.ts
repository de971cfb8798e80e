import { EffectStore, GuardError, ServiceHooks, StoreClock } from "shared/guard";
import { PlayerDataService } from "./PlayerDataService";
import { RunOnceGuard } from "./RunOnceGuard";
import { DailyGrant, dailyOpId, grantToLedger, ledgerKey, RewardLedger } from "./rewardLedger";

/** Constructor dependencies of {@link RewardService}. */
export interface RewardServiceDeps {
	readonly guard: RunOnceGuard;
	readonly playerData: PlayerDataService;
	/** The durable ledger (an EffectStore over the "DailyRewards" DataStore): the truth of every grant. */
	readonly ledger: EffectStore;
	/** The store's clock, for the UTC day (required unless `now` is given). */
	readonly clock?: StoreClock;
	/** Test clock in Unix seconds; when given it replaces the store clock (a spec crossing midnight by hand). */
	readonly now?: () => number;
	/** Coins per daily reward (default 100, as in the seed guide). */
	readonly amount?: number;
	readonly log?: (line: string) => void;
}

/** What a claim returns (and what later claims the same day in this server get from the cache). */
export interface DailyRewardResult {
	/** true only for the claim whose ledger write granted the day (committed) */
	readonly claimed: boolean;
	readonly amount: number;
	readonly day: string;
	/** always true in a result: a claim whose write is not known to be committed returns an error instead */
	readonly committed: boolean;
}

/**
 * The daily reward: once per player per UTC day, whichever server the player is on and however often
 * they rejoin. Three layers:
 * - the in-server guard (`RunOnce("daily_reward_{userId}_{day}")`) stops a double click or racing
 *   remotes without touching the store;
 * - the ledger is the truth: an exactly-once EffectStore write with op id `daily_{userId}_{day}`, so a
 *   second server, a rejoin, a retry or a write that errored but landed grants nothing more;
 * - the coins follow the ledger: the player's data keeps `rewardCoinsCredited`, and every ledger
 *   answer credits `totalCoins - rewardCoinsCredited` (never negative), so a crash between the ledger
 *   commit and the data save loses nothing and never credits twice.
 *
 * The day is the store's UTC day (StoreClock: the DataStore's UpdatedTime, not this server's skewed
 * os.time). A claim is reported granted only after the ledger write committed.
 *
 * @example
 * ```ts
 * const [ran, result] = rewards.ClaimDailyReward(player);
 * if (ran && (result as DailyRewardResult).claimed) print("+100 coins");
 * ```
 */
export class RewardService implements ServiceHooks {
	private readonly guard: RunOnceGuard;
	private readonly playerData: PlayerDataService;
	private readonly ledger: EffectStore;
	private readonly clock?: StoreClock;
	private readonly now?: () => number;
	private readonly amount: number;
	private readonly log: (line: string) => void;

	/**
	 * @param deps the guard, the player data service, the ledger, the clock, the amount, the log sink
	 *
	 * @example
	 * ```ts
	 * const dataStore = DataStoreService.GetDataStore("DailyRewards");
	 * new RewardService({ guard, playerData, ledger: new EffectStore({ dataStore }), clock: new StoreClock({ dataStore }) });
	 * ```
	 */
	public constructor(deps: RewardServiceDeps) {
		this.guard = deps.guard;
		this.playerData = deps.playerData;
		this.ledger = deps.ledger;
		this.clock = deps.clock;
		this.now = deps.now;
		this.amount = deps.amount ?? 100;
		this.log = deps.log ?? print;
		if (this.clock === undefined && this.now === undefined) {
			throw new GuardError("InvalidArgument", "RewardService.new: give deps.clock (a StoreClock) or deps.now", {
				argument: "deps.clock",
				given: undefined,
			});
		}
	}

	/**
	 * Lifecycle hook: runs after PlayerDataService's Init (registered with `dependsOn`).
	 *
	 * @example
	 * ```ts
	 * registry.Register("RewardService", rewards, { dependsOn: ["PlayerDataService"] });
	 * ```
	 */
	public Init() {
		this.log(`[Reward] ready: ${this.amount} coins per UTC day, ledger-backed`);
	}

	/**
	 * Grants today's reward if this player has not had it (anywhere), and credits any ledger coins
	 * the player's data is missing. Yields (the ledger write).
	 *
	 * @returns `(true, { claimed: true, ... })` for the call whose ledger write granted the day;
	 *   `(true, { claimed: false })` when the ledger already had it (another server, an earlier session);
	 *   `(false, cached result)` for a repeat in this server the same day; `(false, error)` when the
	 *   data is not loaded or the ledger write is not known to have committed (nothing shown; claim again).
	 *
	 * @example
	 * ```ts
	 * const [granted] = rewards.ClaimDailyReward(player);
	 * ```
	 */
	// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- two return values, as the seed guide's `return guard:RunOnce(...)`
	public ClaimDailyReward(player: Player): LuaTuple<[boolean, unknown]> {
		const [dayOk, day] = pcall(() => this.today());
		// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple
		if (!dayOk) return $tuple(false, day);
		const [ran, result] = this.guard.RunOnce(
			`daily_reward_${player.UserId}_${day}`,
			() => this.grant(player, day as string),
			// No join: a joiner would get (true, result) too, and the grant would be shown twice.
			{ allowRerun: false, cacheResult: true },
		);
		if (!ran && !GuardError.is(result, "ExecutionFailed")) {
			this.log(`[Reward] ${player.Name}: duplicate claim for ${day} blocked, nothing granted`);
		}
		// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple
		return $tuple(ran, result);
	}

	/**
	 * Purges a player's reward records (call when they leave, after their data was saved: the ledger
	 * still guards the day, and a claim that raced the leave is purged too).
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => {
	 * 	playerData.ReleasePlayer(player); // yields until the data is saved
	 * 	rewards.ReleasePlayer(player);
	 * });
	 * ```
	 */
	public ReleasePlayer(player: Player) {
		this.guard.ClearPrefix(`daily_reward_${player.UserId}_`);
	}

	/**
	 * Today's UTC date as `YYYY-MM-DD` on the store's clock (or the test clock `deps.now`). Yields the
	 * first time on a server (the clock's calibration write); throws StoreFailed when the store cannot
	 * be reached.
	 *
	 * @example
	 * ```ts
	 * print(rewards.today()); // "2026-09-21"
	 * ```
	 */
	public today(): string {
		if (this.now !== undefined) return os.date("!%Y-%m-%d", this.now());
		const day = this.clock!.Today();
		if (day === undefined) {
			throw new GuardError(
				"StoreFailed",
				"RewardService: the store's clock could not be read; claim again later",
			);
		}
		return os.date("!%Y-%m-%d", day * 86400);
	}

	/**
	 * Credits the coins the ledger granted that the player's data has not had yet (idempotent: the
	 * data keeps how much it was credited). Returns the coins added. Never yields.
	 *
	 * @example
	 * ```ts
	 * rewards.Credit(player, snapshot.data); // after a fresh ledger read on load
	 * ```
	 */
	public Credit(player: Player, ledger: RewardLedger | undefined): number {
		const data = this.playerData.GetData(player);
		if (!data || !ledger) return 0;
		const credited = data.rewardCoinsCredited ?? 0;
		const missing = ledger.totalCoins - credited;
		if (missing <= 0) return 0;
		// Watermark and coins change together, in the same data record, so they are saved together.
		data.rewardCoinsCredited = ledger.totalCoins;
		this.playerData.AddCoins(player, missing);
		return missing;
	}

	private grant(player: Player, day: string): DailyRewardResult {
		if (!this.playerData.GetData(player)) error(`${player.Name}'s data is not loaded; claim again once it is`, 0);
		const userId = player.UserId;
		const grant: DailyGrant = { day, amount: this.amount };
		const sentAt = os.clock();
		const [result, err] = this.ledger.Apply(ledgerKey(userId), dailyOpId(userId, day), grant, grantToLedger, {
			userIds: [userId],
		});
		if (result === undefined) throw err;
		if (result.attempts === 1 && !result.verified) this.clock?.Observe(result.keyInfo, sentAt, os.clock());
		const added = this.Credit(player, result.data as RewardLedger | undefined);
		if (result.applied) {
			const data = this.playerData.GetData(player);
			if (data) data.lastDailyReward = day;
			this.log(`[Reward] ${player.Name}: daily reward +${this.amount} coins for ${day} (credited ${added})`);
		} else {
			this.log(`[Reward] ${player.Name}: ${day} was already granted (ledger); credited ${added} missing coins`);
		}
		return { claimed: result.applied, amount: result.applied ? this.amount : 0, day, committed: true };
	}
}
