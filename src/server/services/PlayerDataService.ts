// Past 300 lines on purpose: load, save and leave form one state machine over the same session
// (a leave waits for its save, a rejoin waits for that leave); split apart, each half would need the
// other's invariants to be read. Session shape, keys and leaderstats live in PlayerSession.ts.
import { GuardError, ServiceHooks } from "shared/guard";
import { newPlayerData, PlayerData, PlayerDataStore } from "server/data/PlayerData";
import { markLoaded, openSession, playerKeyPrefix, PlayerSession, SessionState } from "./PlayerSession";
import { RunOnceGuard } from "./RunOnceGuard";

export { SessionState };

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
 * `guard.RunOnce("player_data_{userId}_load")` with a 10 s timeout: duplicate LoadData calls for the
 * same player join the one load in flight, and a load that times out kicks the player.
 *
 * The rule that matters most: **a failed or timed-out load never lets defaults be saved over the real
 * data.** Such a session is marked `Unloaded`, the player is kicked, and `SaveData` refuses it.
 * Defaults are used only when the store answered that the player has no data. A load that finishes
 * after its timeout is ignored (the guard drops late results; the session only adopts data from a
 * `RunOnce` that returned it).
 *
 * When a player leaves, their session and every guard record of theirs (`player_data_{userId}_*`)
 * go — but only once their save has finished: a rejoin while it is still writing waits for it and
 * then reads the store, so it gets what the save wrote, never the leaving session's object or
 * defaults. A call for a Player who already left (a late remote) opens nothing.
 *
 * @example
 * ```ts
 * const playerData = new PlayerDataService({ store, guard });
 * Players.PlayerAdded.Connect((player) => playerData.LoadData(player));
 * Players.PlayerRemoving.Connect((player) => playerData.ReleasePlayer(player));
 * ```
 */
export class PlayerDataService implements ServiceHooks {
	private readonly sessions = new Map<number, PlayerSession>();
	/** Player objects that left: a late LoadData for one must not open a session nobody will close. */
	private readonly departed = new WeakSet<Player>();
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
	 * read. On timeout or failure the player is kicked and `undefined` is returned. A rejoin while the
	 * last session's leave-save is writing waits for that save, then reads the store. A call for a
	 * Player who already left returns `undefined` and reads nothing.
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
		if (this.departed.has(player)) return undefined;
		const userId = player.UserId;
		let session = this.sessions.get(userId);
		if (session?.state === "Leaving") {
			// A rejoin while the last session's save is writing: wait for it, then read what it wrote.
			this.completeLeave(userId, session);
			if (this.departed.has(player)) return undefined; // left again while waiting
			session = this.sessions.get(userId);
			if (session?.state === "Leaving") return undefined; // yet another leave began meanwhile
		}
		if (session?.state === "Loaded") return session.data;
		if (session?.state === "Unloaded") return undefined; // never retry a session that was refused
		if (!session) {
			session = openSession(player);
			this.sessions.set(userId, session);
		}
		const loadingSession = session;
		const [ran, result] = this.guard.RunOnce(`${playerKeyPrefix(userId)}load`, () => this.read(player), {
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
	 * The loaded data of a player, or `undefined` while loading, after a refused load, or once they
	 * began to leave (their save has the data; nothing may change it now).
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
	 * loaded — the guard against saving defaults over real data. For a player who is leaving, joins
	 * the leave-save already writing.
	 *
	 * @example
	 * ```ts
	 * playerData.SaveData(player);
	 * ```
	 */
	public SaveData(player: Player): boolean {
		const session = this.sessions.get(player.UserId);
		// Leaving: its save is already writing; this call joins it.
		if (session?.state === "Leaving") return this.write(player.UserId, session.name, session.data!);
		if (session?.state !== "Loaded") {
			const why = session?.reason ?? (session ? "still loading" : "no session");
			this.log(`[PlayerData] ${player.Name}: save refused, data never loaded (${why})`);
			return false;
		}
		return this.write(player.UserId, player.Name, session.data!);
	}

	/**
	 * A player left: save if loaded (never if the load failed), cancel a load still in flight, then —
	 * once the save has finished — forget the session and purge the player's guard records, so a rejoin
	 * reads the store again and memory does not grow. Yields while the save writes.
	 *
	 * @example
	 * ```ts
	 * Players.PlayerRemoving.Connect((player) => playerData.ReleasePlayer(player));
	 * ```
	 */
	public ReleasePlayer(player: Player) {
		this.departed.add(player);
		const userId = player.UserId;
		const session = this.sessions.get(userId);
		if (session === undefined) {
			this.purge(userId);
			return;
		}
		// A session of a newer Player with this UserId (a rejoin) is not this leave's to close.
		if (session.player !== player) return;
		if (session.state === "Loading") {
			// Left before the store answered: stop the read, so its result is never cached for a rejoin.
			// Forget the session first, so the cancelled LoadData sees it gone instead of kicking a leaver.
			this.sessions.delete(userId);
			this.guard.Cancel(`${playerKeyPrefix(userId)}load`);
			this.log(`[PlayerData] ${player.Name}: left while loading; load cancelled, nothing saved`);
			this.purge(userId);
		} else if (session.state === "Unloaded") {
			this.log(`[PlayerData] ${player.Name}: save refused, data never loaded (${session.reason})`);
			this.forget(userId, session);
		} else {
			// Loaded (or already Leaving: a second release joins the same save).
			session.state = "Leaving";
			this.completeLeave(userId, session);
		}
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
		const open: [number, PlayerSession][] = [];
		for (const [userId, session] of this.sessions) {
			if (session.state === "Loaded" || session.state === "Leaving") open.push([userId, session]);
		}
		let saved = 0;
		for (const [userId, session] of open) {
			// Left (and saved on leave) while an earlier save in this loop yielded: nothing to do.
			if (this.sessions.get(userId) !== session) continue;
			// A leave-save in flight is joined, not repeated: the server must not close before it wrote.
			const ok =
				session.state === "Leaving"
					? this.completeLeave(userId, session)
					: this.write(userId, session.name, session.data!);
			if (ok) saved += 1;
		}
		this.log(`[PlayerData] shutdown: saved ${saved} session(s) still open`);
		return saved;
	}

	/**
	 * Ends a `Leaving` session: its save (joined if in flight; written again if the thread that began
	 * it died before it could finish), then the session and the player's records go. Whoever gets here
	 * first — the leave, a rejoin waiting for it, the shutdown — closes it; the others find it closed.
	 */
	private completeLeave(userId: number, session: PlayerSession): boolean {
		// A failed save has warned; the store keeps its last write, and that is what a rejoin reads.
		const saved = this.write(userId, session.name, session.data!);
		this.forget(userId, session);
		return saved;
	}

	/** Closes `session` if it is still the player's current one, and purges the player's guard records. */
	private forget(userId: number, session: PlayerSession) {
		if (this.sessions.get(userId) !== session) return;
		this.sessions.delete(userId);
		session.leaderstats?.Destroy();
		const purged = this.purge(userId);
		this.log(`[PlayerData] ${session.name}: session closed, ${purged} guard record(s) purged`);
	}

	/** Removes every finished guard record of this player (a running one is kept by the guard). */
	private purge(userId: number): number {
		return this.guard.ClearPrefix(playerKeyPrefix(userId));
	}

	/**
	 * One write per player at a time: a save requested while another is in flight (leave + shutdown)
	 * joins it instead of writing twice; a later save runs again (allowRerun).
	 */
	private write(userId: number, name: string, data: PlayerData): boolean {
		// Logged inside the write: a caller that joined an in-flight save gets the same outcome, no second line.
		const [, result] = this.guard.RunOnce(
			`${playerKeyPrefix(userId)}save`,
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

	private adopt(player: Player, session: PlayerSession, data: PlayerData) {
		markLoaded(session, player, data);
		this.log(`[PlayerData] ${player.Name}: loaded (${data.coins} coins, level ${data.level})`);
	}

	private refuse(player: Player, session: PlayerSession, reason: string) {
		session.state = "Unloaded";
		session.reason = reason;
		session.data = undefined;
		if (session.kicked) return;
		session.kicked = true;
		warn(`[PlayerData] ${player.Name}: ${reason}; kicking, session marked unloaded (it will not be saved)`);
		player.Kick("Data load failed");
	}
}
