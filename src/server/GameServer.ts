import { DataStoreService } from "@rbxts/services";
import { EffectStore, ServiceRegistry, StoreClock } from "shared/guard";
import { CombatService } from "./combat/CombatService";
import { PlayerProfileStore } from "./data/PlayerProfileStore";
import { ArenaBuildSteps, ArenaService } from "./services/ArenaService";
import { PlayerDataService } from "./services/PlayerDataService";
import { RewardService } from "./services/RewardService";
import { REWARD_LEDGER_NAME } from "./services/rewardLedger";
import { RunOnceGuard } from "./services/RunOnceGuard";
import { SeasonJobDeps, SeasonJobService } from "./services/SeasonJobService";

/** Everything the game's services need from outside; specs pass fakes, the Server Script the real thing. */
export interface GameServerDeps {
	readonly guard: RunOnceGuard;
	/** Player data sessions: ProfileStore's store (`newPlayerProfileStore()`), or a spec's MemoryProfileStore. */
	readonly profiles: PlayerProfileStore;
	/** Test clock (Unix seconds) for the reward day; default: the store's clock (StoreClock). */
	readonly now?: () => number;
	/**
	 * The DataStore of the daily-reward ledger (default `DataStoreService.GetDataStore("DailyRewards")`);
	 * the ledger's EffectStore and the StoreClock both use it.
	 */
	readonly rewardStore?: GlobalDataStore;
	readonly loadTimeoutSeconds?: number;
	readonly arenaParent?: Instance;
	readonly arenaSteps?: ArenaBuildSteps;
	/** Seats in the lobby combat (default 10). */
	readonly combatCapacity?: number;
	/** Seconds a combat roster save takes (default 0.05). */
	readonly combatSaveSeconds?: number;
	/** Service log lines (default `print`). */
	readonly log?: (line: string) => void;
	/** Where the startup tree goes (default `print`; `false` for none). */
	readonly registryOutput?: ((text: string) => void) | false;
	/**
	 * The experience-wide season job (one server at a time, through a MemoryStore lease): left out,
	 * there is none (specs with in-memory fakes); `{}` runs it on the real services.
	 */
	readonly seasonJob?: SeasonJobDeps;
}

/**
 * The game: its four services wired together and booted through a {@link ServiceRegistry}
 * (RewardService depends on PlayerDataService; CombatService seats only players whose data loaded, in
 * the arena, so it depends on both). The Server Script only connects engine events to it, so a spec
 * can boot the same game with fakes.
 *
 * @example
 * ```ts
 * const server = new GameServer({ guard: new ExecutionGuard(false), profiles: newPlayerProfileStore() });
 * server.Boot();
 * Players.PlayerAdded.Connect((player) => server.OnPlayerAdded(player));
 * ```
 */
export class GameServer {
	/**
	 * Boots the services; read it for the startup tree and each service's lifecycle.
	 *
	 * @example
	 * ```ts
	 * server.registry.PrintStartupTree();
	 * ```
	 */
	public readonly registry: ServiceRegistry;
	/**
	 * Player sessions (load, save, coins).
	 *
	 * @example
	 * ```ts
	 * server.playerData.GetData(player);
	 * ```
	 */
	public readonly playerData: PlayerDataService;
	/**
	 * The arena, built once.
	 *
	 * @example
	 * ```ts
	 * server.arena.InitializeArena();
	 * ```
	 */
	public readonly arena: ArenaService;
	/**
	 * The daily reward.
	 *
	 * @example
	 * ```ts
	 * server.rewards.ClaimDailyReward(player);
	 * ```
	 */
	public readonly rewards: RewardService;
	/**
	 * The lobby combat (capacity-limited seats).
	 *
	 * @example
	 * ```ts
	 * server.combat.registration.GetSeatsTaken(server.combat.combatId);
	 * ```
	 */
	public readonly combat: CombatService;
	/**
	 * The season job, when `deps.seasonJob` asked for it.
	 *
	 * @example
	 * ```ts
	 * server.seasonJob?.lock.GetInfo("season_reset");
	 * ```
	 */
	public readonly seasonJob: SeasonJobService | undefined;

	/**
	 * @param deps see {@link GameServerDeps}
	 *
	 * @example
	 * ```ts
	 * new GameServer({ guard, profiles, log: () => {} });
	 * ```
	 */
	public constructor(deps: GameServerDeps) {
		const { guard, profiles, log } = deps;
		this.playerData = new PlayerDataService({ profiles, guard, loadTimeoutSeconds: deps.loadTimeoutSeconds, log });
		this.arena = new ArenaService({ guard, parent: deps.arenaParent, steps: deps.arenaSteps, log });
		const rewardStore = deps.rewardStore ?? DataStoreService.GetDataStore(REWARD_LEDGER_NAME);
		this.rewards = new RewardService({
			guard,
			playerData: this.playerData,
			ledger: new EffectStore({ dataStore: rewardStore }),
			clock: new StoreClock({ dataStore: rewardStore }),
			now: deps.now,
			log,
		});
		this.combat = new CombatService({ capacity: deps.combatCapacity, saveSeconds: deps.combatSaveSeconds, log });
		this.registry = new ServiceRegistry({ name: "Boot", output: deps.registryOutput });
		// Registered out of order on purpose: the registry, not the listing, decides the order.
		this.registry.Register("RewardService", this.rewards, { dependsOn: ["PlayerDataService"] });
		this.registry.Register("PlayerDataService", this.playerData);
		this.registry.Register("ArenaService", this.arena);
		this.registry.Register("CombatService", this.combat, { dependsOn: ["PlayerDataService", "ArenaService"] });
		this.seasonJob = deps.seasonJob !== undefined ? new SeasonJobService({ log, ...deps.seasonJob }) : undefined;
		if (this.seasonJob) this.registry.Register("SeasonJobService", this.seasonJob);
	}

	/**
	 * Initialises then starts every service. Harmless to call again (returns false, runs nothing).
	 *
	 * @example
	 * ```ts
	 * server.Boot(); // true
	 * server.Boot(); // false
	 * ```
	 */
	public Boot(): boolean {
		const initialised = this.registry.InitAll();
		const started = this.registry.StartAll();
		return initialised || started;
	}

	/**
	 * A player joined: load their data (kicked on failure), make sure the arena exists, register them
	 * for the lobby combat, grant the daily reward (a ledger write: it also credits coins a crash kept
	 * from an earlier session). Yields (the load, the roster save).
	 *
	 * @example
	 * ```ts
	 * Players.PlayerAdded.Connect((player) => server.OnPlayerAdded(player));
	 * ```
	 */
	public OnPlayerAdded(player: Player) {
		const data = this.playerData.LoadData(player);
		if (!data) return;
		this.arena.InitializeArena();
		// Seats first: the reward claim waits for a ledger round trip, the roster should not.
		this.combat.Join(player);
		this.rewards.ClaimDailyReward(player);
	}

	/**
	 * A player left: save (only if their data really loaded), then — once that save finished — purge
	 * the player's guard records in each service. Yields while the save writes.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => server.OnPlayerRemoving(player));
	 * ```
	 */
	public OnPlayerRemoving(player: Player) {
		this.combat.ReleasePlayer(player); // the seat is free at once, for the next joiner
		this.playerData.ReleasePlayer(player);
		// After the save: a claim racing the leave fails (the data is no longer open) and its record goes too.
		this.rewards.ReleasePlayer(player);
	}

	/**
	 * Server shutdown: save every loaded session, run `report` (print summaries while the services'
	 * states are still meaningful), then destroy the services in reverse boot order (the combat frees
	 * every seat and roster lock).
	 *
	 * @returns how many sessions were saved.
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => server.Shutdown(() => ExecutionGuard.printSummary(guard)));
	 * ```
	 */
	public Shutdown(report?: () => void): number {
		const saved = this.playerData.SaveAll();
		if (report) report();
		this.registry.DestroyAll();
		return saved;
	}
}
