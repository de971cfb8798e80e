import { GuardError, ServiceHooks } from "shared/guard";
import { newPlayerData, PlayerData, PlayerDataStore } from "server/data/PlayerData";
import { RunOnceGuard } from "./RunOnceGuard";

/**
 * A player's session: `Loading` until the store answered, `Loaded` with data, or `Unloaded` after a
 * failed or timed-out load. An `Unloaded` session is never saved.
 */
export type SessionState = "Loading" | "Loaded" | "Unloaded";

interface Session {
	readonly name: string;
	state: SessionState;
	data?: PlayerData;
	coins?: IntValue;
	leaderstats?: Folder;
	kicked: boolean;
	reason?: string;
}

/** Constructor dependencies of {@link PlayerDataService}. */
export interface PlayerDataServiceDeps {
	readonly store: PlayerDataStore;
	readonly guard: RunOnceGuard;
	/** Seconds a load may take before the player is kicked (default 10, as in the seed guide). */
	readonly loadTimeoutSeconds?: number;
	/** Where the service's lines go (default `print`). */
	readonly log?: (line: string) => void;
}

/**
 * Loads and saves player data — the seed guide's Example 1, hardened. Every load runs through
 * `guard.RunOnce("player_data_{userId}")` with a 10 s timeout: duplicate LoadData calls for the same
 * player join the one load in flight, and a load that times out kicks the player.
 *
 * The rule that matters most: **a failed or timed-out load never lets defaults be saved over the real
 * data.** Such a session is marked `Unloaded`, the player is kicked, and `SaveData` refuses it.
 * Defaults are used only when the store answered that the player has no data. A load that finishes
 * after its timeout is ignored (the guard drops late results; the session only adopts data from a
 * `RunOnce` that returned it).
 *
 * @example
 * ```ts
 * const playerData = new PlayerDataService({ store, guard });
 * Players.PlayerAdded.Connect((player) => playerData.LoadData(player));
 * Players.PlayerRemoving.Connect((player) => playerData.ReleasePlayer(player));
 * ```
 */
export class PlayerDataService implements ServiceHooks {
	private readonly sessions = new Map<number, Session>();
	private readonly store: PlayerDataStore;
	private readonly guard: RunOnceGuard;
	private readonly loadTimeoutSeconds: number;
	private readonly log: (line: string) => void;

	/**
	 * @param deps the store, the guard, the load timeout and the log sink
	 *
	 * @example
	 * ```ts
	 * new PlayerDataService({ store: new InMemoryDataStore(), guard: new ExecutionGuard(false) });
	 * ```
	 */
	public constructor(deps: PlayerDataServiceDeps) {
		this.store = deps.store;
		this.guard = deps.guard;
		this.loadTimeoutSeconds = deps.loadTimeoutSeconds ?? 10;
		this.log = deps.log ?? print;
	}

	/**
	 * Lifecycle hook (run once by the registry): announces the service; the store is ready when
	 * constructed, so nothing yields here.
	 *
	 * @example
	 * ```ts
	 * registry.Register("PlayerDataService", playerData); // registry.InitAll() calls playerData.Init()
	 * ```
	 */
	public Init() {
		this.log(`[PlayerData] ready (load timeout ${this.loadTimeoutSeconds} s)`);
	}

	/**
	 * Loads the player's data once per session. Callers racing for the same player share one store
	 * read. On timeout or failure the player is kicked and `undefined` is returned.
	 *
	 * @returns the session's data, or `undefined` if it could not be loaded.
	 *
	 * @example
	 * ```ts
	 * const data = playerData.LoadData(player);
	 * if (data) print(data.coins);
	 * ```
	 */
	public LoadData(player: Player): PlayerData | undefined {
		const userId = player.UserId;
		let session = this.sessions.get(userId);
		if (session?.state === "Loaded") return session.data;
		if (session?.state === "Unloaded") return undefined; // never retry a session that was refused
		if (!session) {
			session = { name: player.Name, state: "Loading", kicked: false };
			this.sessions.set(userId, session);
		}
		const loadingSession = session;
		const [ran, result] = this.guard.RunOnce(`player_data_${userId}`, () => this.read(player), {
			timeout: this.loadTimeoutSeconds,
			cacheResult: true,
			join: true,
			onTimeout: () => this.refuse(player, loadingSession, `load timed out after ${this.loadTimeoutSeconds} s`),
		});
		// The session may have been released or refused while we waited.
		if (this.sessions.get(userId) !== loadingSession) return undefined;
		if (loadingSession.state === "Loaded") {
			this.log(`[PlayerData] ${player.Name}: duplicate LoadData shared the same store read (no second load)`);
			return loadingSession.data;
		}
		if (loadingSession.state === "Unloaded") return undefined;
		if (GuardError.is(result) || !typeIs(result, "table")) {
			const why = GuardError.is(result) ? result.toString() : `no data (${ran ? "ran" : "blocked"})`;
			this.refuse(player, loadingSession, why);
			return undefined;
		}
		this.adopt(player, loadingSession, result as PlayerData);
		return loadingSession.data;
	}

	/**
	 * The loaded data of a player, or `undefined` while loading or after a refused load.
	 *
	 * @example
	 * ```ts
	 * const data = playerData.GetData(player);
	 * ```
	 */
	public GetData(player: Player): PlayerData | undefined {
		const session = this.sessions.get(player.UserId);
		return session?.state === "Loaded" ? session.data : undefined;
	}

	/**
	 * The session state of a player (`undefined` if none).
	 *
	 * @example
	 * ```ts
	 * if (playerData.GetSessionState(player) === "Unloaded") print("will not be saved");
	 * ```
	 */
	public GetSessionState(player: Player): SessionState | undefined {
		return this.sessions.get(player.UserId)?.state;
	}

	/**
	 * Adds coins to a loaded player's data and leaderstats.
	 *
	 * @throws if the player's data is not loaded (nothing to add to; the caller's work should fail).
	 *
	 * @example
	 * ```ts
	 * playerData.AddCoins(player, 100);
	 * ```
	 */
	public AddCoins(player: Player, amount: number): number {
		const session = this.sessions.get(player.UserId);
		if (session?.state !== "Loaded") {
			throw `[PlayerData] cannot add ${amount} coins to ${player.Name}: data is not loaded`;
		}
		const data = session.data!;
		data.coins += amount;
		if (session.coins) session.coins.Value = data.coins;
		return data.coins;
	}

	/**
	 * Saves a loaded session. Refuses (returns false, writes nothing) unless the data was really
	 * loaded — the guard against saving defaults over real data.
	 *
	 * @example
	 * ```ts
	 * playerData.SaveData(player);
	 * ```
	 */
	public SaveData(player: Player): boolean {
		const session = this.sessions.get(player.UserId);
		if (session?.state !== "Loaded") {
			const why = session?.reason ?? (session ? "still loading" : "no session");
			this.log(`[PlayerData] ${player.Name}: save refused, data never loaded (${why})`);
			return false;
		}
		return this.write(player.UserId, player.Name, session.data!);
	}
	/**
	 * A player left: save if loaded (never if the load failed), cancel a load still in flight, then
	 * forget the session and the player's guard keys, so a rejoin loads fresh data and memory does not grow.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => playerData.ReleasePlayer(player));
	 * ```
	 */
	public ReleasePlayer(player: Player) {
		const userId = player.UserId;
		if (!this.sessions.has(userId)) return;
		const session = this.sessions.get(userId)!;
		if (session.state === "Loading") {
			// Left before the store answered: stop the read, so its result is never cached for a rejoin.
			// Forget the session first, so the cancelled LoadData sees it gone instead of kicking a leaver.
			this.sessions.delete(userId);
			this.guard.Cancel(`player_data_${userId}`);
			this.log(`[PlayerData] ${player.Name}: left while loading; load cancelled, nothing saved`);
		} else if (session.state === "Loaded") {
			// The session stays listed while this save yields: a shutdown SaveAll joins it and waits.
			this.write(userId, player.Name, session.data!);
		} else {
			this.log(`[PlayerData] ${player.Name}: save refused, data never loaded (${session.reason})`);
		}
		if (this.sessions.get(userId) === session) this.sessions.delete(userId);
		session.leaderstats?.Destroy();
		// Exact keys (ClearResult), not a prefix: "player_data_12" is a prefix of "player_data_123".
		this.guard.ClearResult(`player_data_${userId}`);
		this.guard.ClearResult(`player_save_${userId}`);
	}

	/**
	 * Saves every loaded session (server shutdown); returns how many were saved.
	 *
	 * @example
	 * ```ts
	 * game.BindToClose(() => playerData.SaveAll());
	 * ```
	 */
	public SaveAll(): number {
		// Snapshot first: saves yield, and players leaving meanwhile remove their sessions.
		const loaded: [number, Session][] = [];
		for (const [userId, session] of this.sessions) if (session.state === "Loaded") loaded.push([userId, session]);
		let saved = 0;
		for (const [userId, session] of loaded) {
			// Left (and saved on leave) while an earlier save in this loop yielded: nothing to do.
			if (this.sessions.get(userId) !== session) continue;
			if (this.write(userId, session.name, session.data!)) saved += 1;
		}
		this.log(`[PlayerData] shutdown: saved ${saved} session(s) still open`);
		return saved;
	}
	/**
	 * One write per player at a time: a save requested while another is in flight (leave + shutdown)
	 * joins it instead of writing twice; a later save runs again (allowRerun).
	 */
	private write(userId: number, name: string, data: PlayerData): boolean {
		// Logged inside the write: a caller that joined an in-flight save gets the same outcome, no second line.
		const [, result] = this.guard.RunOnce(
			`player_save_${userId}`,
			() => {
				this.store.Save(userId, data);
				this.log(`[PlayerData] ${name}: saved (${data.coins} coins)`);
			},
			{ allowRerun: true, cacheResult: false, join: true, timeout: 30 },
		);
		if (GuardError.is(result)) {
			warn(`[PlayerData] ${name}: save failed: ${result.toString()}`);
			return false;
		}
		return true;
	}

	private read(player: Player): PlayerData {
		this.log(`[PlayerData] loading data for ${player.Name}...`);
		const [ok, stored] = pcall(() => this.store.Load(player.UserId));
		if (!ok) error(`Failed to load data: ${tostring(stored)}`, 0);
		// Defaults only for "this player has no data" — a failure errored above.
		return stored ?? newPlayerData();
	}

	private adopt(player: Player, session: Session, data: PlayerData) {
		session.state = "Loaded";
		session.data = data;
		const leaderstats = new Instance("Folder");
		leaderstats.Name = "leaderstats";
		const coins = new Instance("IntValue");
		coins.Name = "Coins";
		coins.Value = data.coins;
		coins.Parent = leaderstats;
		// Specs pass plain tables as players; only a real Player can hold the folder.
		if (typeIs(player, "Instance")) leaderstats.Parent = player;
		session.leaderstats = leaderstats;
		session.coins = coins;
		this.log(`[PlayerData] ${player.Name}: loaded (${data.coins} coins, level ${data.level})`);
	}

	private refuse(player: Player, session: Session, reason: string) {
		session.state = "Unloaded";
		session.reason = reason;
		session.data = undefined;
		if (session.kicked) return;
		session.kicked = true;
		warn(`[PlayerData] ${player.Name}: ${reason}; kicking, session marked unloaded (it will not be saved)`);
		player.Kick("Data load failed");
	}
}
