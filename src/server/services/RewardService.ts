import { ServiceHooks } from "shared/guard";
import { PlayerDataService } from "./PlayerDataService";
import { RunOnceGuard } from "./RunOnceGuard";

/** Constructor dependencies of {@link RewardService}. */
export interface RewardServiceDeps {
	readonly guard: RunOnceGuard;
	readonly playerData: PlayerDataService;
	/** Server time in Unix seconds (default `os.time`); a spec passes a fake to cross midnight. */
	readonly now?: () => number;
	/** Coins per daily reward (default 100, as in the seed guide). */
	readonly amount?: number;
	readonly log?: (line: string) => void;
}

/** What a claim returns (and what later claims the same day get from the cache). */
export interface DailyRewardResult {
	readonly claimed: boolean;
	readonly amount: number;
	readonly day: string;
}

/**
 * The daily reward — the seed guide's Example 3, once per player per UTC day, in this server.
 * Each claim runs through `guard.RunOnce("daily_reward_{userId}_{day}")`: a double click or two
 * racing remotes grant once; the second gets `(false, cached result)`.
 *
 * The claim marker (`lastDailyReward`) is written into the player's data together with the coins, so
 * they are saved together: after a rejoin the guard's key is gone but the marker still refuses a
 * second grant the same day. Cross-server safety (a claim in two servers at once) needs the
 * cross-server store and is later work. The day is the server's UTC date, never the client's.
 * A claim before the player's data loaded fails (not cached), so it can be retried once it has.
 *
 * @example
 * ```ts
 * const [granted, result] = rewards.ClaimDailyReward(player);
 * ```
 */
export class RewardService implements ServiceHooks {
	private readonly guard: RunOnceGuard;
	private readonly playerData: PlayerDataService;
	private readonly now: () => number;
	private readonly amount: number;
	private readonly log: (line: string) => void;

	/**
	 * @param deps the guard, the player data service, the clock, the amount, the log sink
	 *
	 * @example
	 * ```ts
	 * new RewardService({ guard, playerData, now: () => 1_700_000_000 });
	 * ```
	 */
	public constructor(deps: RewardServiceDeps) {
		this.guard = deps.guard;
		this.playerData = deps.playerData;
		this.now = deps.now ?? os.time;
		this.amount = deps.amount ?? 100;
		this.log = deps.log ?? print;
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
		this.log(`[Reward] ready: ${this.amount} coins per UTC day (today is ${this.today()})`);
	}

	/**
	 * Grants today's reward if this player has not had it.
	 *
	 * @returns `(true, { claimed: true, amount, day })` for the granting call; `(false, cached result)`
	 *   for a repeat the same day; `(false, error)` if the data is not loaded.
	 *
	 * @example
	 * ```ts
	 * const [granted] = rewards.ClaimDailyReward(player);
	 * ```
	 */
	// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple -- two return values, as the seed guide's `return guard:RunOnce(...)`
	public ClaimDailyReward(player: Player): LuaTuple<[boolean, unknown]> {
		const day = this.today();
		const [ran, result] = this.guard.RunOnce(
			`daily_reward_${player.UserId}_${day}`,
			() => this.grant(player, day),
			{ allowRerun: false, cacheResult: true },
		);
		if (!ran) this.log(`[Reward] ${player.Name}: duplicate claim for ${day} blocked, nothing granted`);
		// eslint-disable-next-line roblox-ts/no-user-defined-lua-tuple
		return $tuple(ran, result);
	}

	/**
	 * Purges a player's reward records (call when they leave, after their data was saved: the saved
	 * marker still guards the day, and a claim that raced the leave is purged too).
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
	 * Today's UTC date as `YYYY-MM-DD`, from the server clock (never the client's).
	 *
	 * @example
	 * ```ts
	 * print(rewards.today()); // "2026-11-23"
	 * ```
	 */
	public today(): string {
		return os.date("!%Y-%m-%d", this.now());
	}

	private grant(player: Player, day: string): DailyRewardResult {
		const data = this.playerData.GetData(player);
		if (!data) error(`${player.Name}'s data is not loaded; claim again once it is`, 0);
		if (data.lastDailyReward === day) {
			this.log(`[Reward] ${player.Name}: already claimed ${day} in an earlier session`);
			return { claimed: false, amount: 0, day };
		}
		// Marker and coins change together, in the same data record, so they are saved together.
		data.lastDailyReward = day;
		const total = this.playerData.AddCoins(player, this.amount);
		this.log(`[Reward] ${player.Name}: daily reward +${this.amount} coins (now ${total})`);
		return { claimed: true, amount: this.amount, day };
	}
}
