// Past 300 lines on purpose: load, save and leave form one state machine over the same session
// (a leave waits for its save, a rejoin waits for that leave); split apart, each half would need the
// other's invariants to be read. Session shape, keys and leaderstats live in PlayerSession.ts; the
// session start's own thread in data/SessionStart.ts; the save and release waits in ProfileSaves.ts.
import { GuardError, ServiceHooks } from "shared/guard";
import { checkFunction, checkSeconds, checkWholeNumber } from "shared/guard/arguments/check";
import { PlayerData } from "server/data/PlayerData";
import { PlayerProfile, PlayerProfileStore, profileKeyOf } from "server/data/PlayerProfileStore";
import { SessionStart } from "server/data/SessionStart";
import { SESSION_LOG_PREFIX } from "server/data/sessionLog";
import { markLoaded, openSession, playerKeyPrefix, PlayerSession, SessionState, waitUntil } from "./PlayerSession";
import { KickMessages } from "./KickMessages";
import { releaseAndWait, saveNow } from "./ProfileSaves";
import { RunOnceGuard } from "./RunOnceGuard";

export { KickMessages, SessionState };

/** Largest coin change one AddCoins accepts (leaderstats' IntValue and a DataStore number stay exact). */
const MAX_COINS_CHANGE = 1e9;

/** Constructor dependencies of {@link PlayerDataService}. */
export interface PlayerDataServiceDeps {
	/** ProfileStore's store (`newPlayerProfileStore()`, its `.Mock`), or a spec's `MemoryProfileStore`. */
	readonly profiles: PlayerProfileStore;
	readonly guard: RunOnceGuard;
	/**
	 * Seconds a session start may take before the player is kicked (default 10, as in the seed guide).
	 * It includes ProfileStore's own waiting for another server to release the key: a hop from a live
	 * server takes ~5 s (ProfileStore asks the holder through MessagingService, then reads again after
	 * 5 s); a key left locked by a crashed server is stolen only after 40+ s, so a game that wants such
	 * players in without a kick sets this above ~50.
	 */
	readonly loadTimeoutSeconds?: number;
	/** Seconds a save or the last save of a leave may take before it is reported failed (default 30). */
	readonly saveTimeoutSeconds?: number;
	/** Where the service's lines go (default `print`). */
	readonly log?: (line: string) => void;
}

/**
 * Player data on ProfileStore (`@rbxts/profile-store`, session-locked: one server at a time holds a
 * player's key) — the seed guide's Example 1, hardened. Every load runs through
 * `guard.RunOnce("player_data_{userId}_load")` with a 10 s timeout: duplicate LoadData calls for the
 * same player join the one `StartSessionAsync` in flight, and a load that times out kicks the player.
 * The start runs in a thread of its own (data/SessionStart.ts), so the guard's timeout or `Cancel`
 * never kills ProfileStore mid-call; ProfileStore's `Cancel` stops it once the player left or the
 * load was given up. A started session gets `Reconcile` (template fields it lacks) and
 * `AddUserId(player.UserId)` (GDPR). First of all, a started session adds 1 to `data.sessions` and
 * logs `[PlayerSessions] start <userId> loaded L now L+1`; each acknowledged save logs
 * `[PlayerSessions] saved <userId> sessions N` — the facts the demo's defaults-over-data check reads.
 *
 * The rule that matters most: **a failed or timed-out load never lets defaults be saved over the real
 * data.** The game never writes a profile it did not get from `StartSessionAsync`: ProfileStore
 * applies the template only to a key with no profile. A start that returns nil, raises or times out
 * leaves the session `Unloaded`; the player is kicked (a message per cause, {@link KickMessages}),
 * and nothing of theirs is saved or ended. A profile that arrives after its load was given up is
 * released unchanged (its data is the store's). If ProfileStore ends a session on its own (another
 * server took the key), the session becomes `Unloaded` and the player, if still here, is kicked.
 *
 * When a player leaves, `EndSession` saves and releases the key; their session and every guard record
 * of theirs (`player_data_{userId}_*`) go once that last save finished: a rejoin while it is still
 * writing waits for it and then starts a new session, so it gets what the save wrote, never the
 * leaving session's object or defaults. A call for a Player who already left (a late remote) opens
 * nothing. Across servers, ProfileStore's lock does the rest: another server's start waits for this
 * release (or, after a crash, steals the key by ProfileStore's 40 s rule).
 *
 * @example
 * ```ts
 * const playerData = new PlayerDataService({ profiles: newPlayerProfileStore(), guard });
 * Players.PlayerAdded.Connect((player) => playerData.LoadData(player));
 * Players.PlayerRemoving.Connect((player) => playerData.ReleasePlayer(player));
 * ```
 */
export class PlayerDataService implements ServiceHooks {
	private readonly sessions = new Map<number, PlayerSession>();
	/** Player objects that left: a late LoadData for one must not open a session nobody will close. */
	private readonly departed = new WeakSet<Player>();
	private readonly profiles: PlayerProfileStore;
	private readonly guard: RunOnceGuard;
	private readonly loadTimeoutSeconds: number;
	private readonly saveTimeoutSeconds: number;
	private readonly log: (line: string) => void;

	/**
	 * @param deps the profile store, the guard, the timeouts and the log sink
	 *
	 * @example
	 * ```ts
	 * new PlayerDataService({ profiles: new MemoryProfileStore(), guard: new ExecutionGuard(false) });
	 * ```
	 */
	public constructor(deps: PlayerDataServiceDeps) {
		const where = "PlayerDataService.new";
		// Read as a plain field: roblox-ts refuses to index a method without calling it.
		const store = deps.profiles as unknown as { StartSessionAsync?: unknown } | undefined;
		checkFunction(where, "deps.profiles.StartSessionAsync (a ProfileStore store)", store?.StartSessionAsync);
		if (deps.loadTimeoutSeconds !== undefined)
			checkSeconds(where, "deps.loadTimeoutSeconds", deps.loadTimeoutSeconds);
		if (deps.saveTimeoutSeconds !== undefined)
			checkSeconds(where, "deps.saveTimeoutSeconds", deps.saveTimeoutSeconds);
		this.profiles = deps.profiles;
		this.guard = deps.guard;
		this.loadTimeoutSeconds = deps.loadTimeoutSeconds ?? 10;
		this.saveTimeoutSeconds = deps.saveTimeoutSeconds ?? 30;
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
	 * Starts the player's ProfileStore session once. Callers racing for the same player share one
	 * `StartSessionAsync`. On timeout, nil or failure the player is kicked and `undefined` is
	 * returned. A rejoin while the last session's leave-save is writing waits for that save, then
	 * starts a new session. A call for a Player who already left returns `undefined` and opens nothing.
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
		const [ran, result] = this.guard.RunOnce(
			`${playerKeyPrefix(userId)}load`,
			() => this.start(player, loadingSession),
			{
				timeout: this.loadTimeoutSeconds,
				cacheResult: true,
				join: true,
				onTimeout: () =>
					this.refuse(
						player,
						loadingSession,
						`load timed out after ${this.loadTimeoutSeconds} s`,
						KickMessages.timedOut,
					),
			},
		);
		// The session may have been released or refused while we waited.
		if (this.sessions.get(userId) !== loadingSession) return undefined;
		if (loadingSession.state === "Loaded") {
			if (!ran) this.log(`[PlayerData] ${player.Name}: duplicate LoadData joined the same session start`);
			return loadingSession.data;
		}
		if (loadingSession.state === "Loading") {
			// The start ended without a session (its error names why); never retried in this session.
			const why = GuardError.is(result) ? result.toString() : `no session (${ran ? "ran" : "blocked"})`;
			const kick = loadingSession.startOutcome === "NoSession" ? KickMessages.noSession : KickMessages.failed;
			this.refuse(player, loadingSession, why, kick);
		}
		return undefined;
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
	 * Changes a loaded player's data with `change` (which must not yield: ProfileStore guarantees a
	 * change is saved only while the session is active and the code has not yielded since checking),
	 * then shows the coins in leaderstats. Returns what `change` returned.
	 *
	 * @throws if the player's data is not loaded or its session is no longer active here (nothing to
	 *   change; the caller's work should fail and may be retried elsewhere); a GuardError
	 *   `InvalidArgument` (nothing changed) if `change` is not a function.
	 *
	 * @example
	 * ```ts
	 * playerData.Update(player, (data) => {
	 * 	data.lastDailyReward = day;
	 * 	data.coins += 100;
	 * });
	 * ```
	 */
	public Update<R>(player: Player, change: (data: PlayerData) => R): R {
		checkFunction("PlayerDataService.Update", "change", change);
		const session = this.sessions.get(player.UserId);
		if (session?.state !== "Loaded" || session.profile?.IsActive() !== true) {
			throw `[PlayerData] cannot change ${player.Name}'s data: it is not loaded on this server`;
		}
		const result = change(session.data!);
		if (session.coins) session.coins.Value = session.data!.coins;
		return result;
	}

	/**
	 * Adds coins to a loaded player's data and leaderstats (an {@link Update}).
	 *
	 * @throws if the player's data is not loaded (nothing to add to; the caller's work should fail);
	 *   a GuardError `InvalidArgument` (nothing changed) unless `amount` is a whole number within ±1e9.
	 *
	 * @example
	 * ```ts
	 * playerData.AddCoins(player, 100);
	 * ```
	 */
	public AddCoins(player: Player, amount: number): number {
		// A NaN or fractional amount would be saved over the player's coins for good.
		checkWholeNumber("PlayerDataService.AddCoins", "amount", amount, -MAX_COINS_CHANGE, MAX_COINS_CHANGE);
		return this.Update(player, (data) => (data.coins += amount));
	}

	/**
	 * Saves a loaded session now (`profile.Save()`: one UpdateAsync) and waits for it. Refuses
	 * (returns false, writes nothing) unless the session really started here — the guard against
	 * saving defaults over real data. For a player who is leaving, joins the leave-save already
	 * writing. False also when the save did not finish in time or ProfileStore found the key taken by
	 * another server (the session then ends and the player is kicked).
	 *
	 * @example
	 * ```ts
	 * playerData.SaveData(player);
	 * ```
	 */
	public SaveData(player: Player): boolean {
		const session = this.sessions.get(player.UserId);
		// Leaving: its last save is already writing; this call joins it.
		if (session?.state === "Leaving") return this.write(player.UserId, session, "release");
		if (session?.state !== "Loaded") {
			const why = session?.reason ?? (session ? "still loading" : "no session");
			this.log(`[PlayerData] ${player.Name}: save refused, data never loaded (${why})`);
			return false;
		}
		return this.write(player.UserId, session, "save");
	}

	/**
	 * A player left: end the session if loaded (`EndSession`: the last save and the release of the
	 * key; never for a load that failed), cancel a load still in flight, then — once that last save has
	 * finished — forget the session and purge the player's guard records, so a rejoin starts a new
	 * session and memory does not grow. Yields while the save writes.
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
			// Left before the session started: forget the session first (the cancelled LoadData then sees it
			// gone instead of kicking a leaver, and the start's Cancel tells ProfileStore to stop), then
			// cancel the guard's run so its result is never cached for a rejoin.
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
	 * Server shutdown: ends every open session (its last save and release, all in parallel, as
	 * ProfileStore's own BindToClose does for the sessions it holds), joins leave-saves in flight, and
	 * waits for them; returns how many finished. Sessions end here, so players still in the server
	 * have no data afterwards (claims fail). A session ProfileStore's BindToClose ended first is its
	 * to save and is not counted.
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
		let pending = open.size();
		for (const [userId, session] of open) {
			task.spawn(() => {
				// A leave-save in flight is joined, not repeated: the server must not close before it wrote.
				const [ok, done] = pcall(() => {
					if (this.sessions.get(userId) !== session) return false; // left and saved meanwhile
					if (session.state === "Loaded") session.state = "Leaving";
					return session.state === "Leaving" && this.completeLeave(userId, session);
				});
				if (ok && done) saved += 1;
				pending -= 1;
			});
		}
		waitUntil(() => pending === 0, math.huge);
		this.log(`[PlayerData] shutdown: saved ${saved} session(s) still open`);
		return saved;
	}

	/**
	 * Ends a `Leaving` session: its last save (joined if in flight; waited for again if the thread that
	 * began it died — the save itself runs in ProfileStore's thread), then the session and the player's
	 * records go. Whoever gets here first — the leave, a rejoin waiting for it, the shutdown — closes it;
	 * the others find it closed.
	 */
	private completeLeave(userId: number, session: PlayerSession): boolean {
		// A failed save has warned; ProfileStore keeps retrying the last save, and a later start of the
		// key (here or elsewhere) reads only after it or after ProfileStore's steal rule.
		const saved = this.write(userId, session, "release");
		this.forget(userId, session);
		return saved;
	}

	/** Closes `session` if it is still the player's current one, and purges the player's guard records. */
	private forget(userId: number, session: PlayerSession) {
		if (this.sessions.get(userId) !== session) return;
		this.sessions.delete(userId);
		for (const connection of session.connections) connection.Disconnect();
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
	 * joins it instead of writing twice; a later save runs again (allowRerun). `release` ends the
	 * session (EndSession, once) and waits for its last save; `save` saves it and stays.
	 */
	private write(userId: number, session: PlayerSession, kind: "save" | "release"): boolean {
		// Logged inside the write: a caller that joined an in-flight save gets the same outcome, no second line.
		const [, result] = this.guard.RunOnce(
			`${playerKeyPrefix(userId)}save`,
			() => {
				if (kind === "release") releaseAndWait(session);
				else saveNow(session);
				const released = kind === "release" ? ", session released" : "";
				this.log(`[PlayerData] ${session.name}: saved (${session.data!.coins} coins)${released}`);
				this.log(`${SESSION_LOG_PREFIX}saved ${userId} sessions ${session.data!.sessions ?? 0}`);
			},
			{ allowRerun: true, cacheResult: false, join: true, timeout: this.saveTimeoutSeconds },
		);
		if (GuardError.is(result)) {
			warn(`[PlayerData] ${session.name}: save failed: ${result.toString()}`);
			return false;
		}
		return true;
	}

	/** The guarded load: waits for the session start, which runs (and settles) in its own thread. */
	private start(player: Player, session: PlayerSession): PlayerData {
		this.log(`[PlayerData] starting the data session of ${player.Name}...`);
		const userId = player.UserId;
		const outcome = new SessionStart(this.profiles, profileKeyOf(userId), {
			wanted: () =>
				this.sessions.get(userId) === session && session.state === "Loading" && !this.departed.has(player),
			adopt: (profile) => this.adopt(player, session, profile),
			discarded: () =>
				this.log(`[PlayerData] ${player.Name}: session came after the load was given up; released unchanged`),
		}).Wait();
		session.startOutcome = outcome.kind;
		if (outcome.kind === "Adopted") return session.data!;
		if (outcome.kind === "NoSession")
			error("StartSessionAsync returned nil (the key is held elsewhere, or the store is closing)", 0);
		error(outcome.kind === "Failed" ? `StartSessionAsync failed: ${outcome.reason}` : "load given up", 0);
	}

	private adopt(player: Player, session: PlayerSession, profile: PlayerProfile) {
		// First of all, a monotonic fact in the saved data: every loaded session counts itself, so a
		// save of defaults over this data would show as a count going back (the demo's auditor checks it).
		const loaded = profile.Data.sessions ?? 0;
		profile.Data.sessions = loaded + 1;
		this.log(`${SESSION_LOG_PREFIX}start ${player.UserId} loaded ${loaded} now ${loaded + 1}`);
		profile.AddUserId(player.UserId);
		profile.Reconcile();
		markLoaded(session, player, profile, () => this.onSessionEnded(player, session));
		const data = profile.Data;
		this.log(`[PlayerData] ${player.Name}: loaded (${data.coins} coins, level ${data.level})`);
	}

	/** ProfileStore ended the session. Ours (EndSession) is `Leaving`; any other end was not ours. */
	private onSessionEnded(player: Player, session: PlayerSession) {
		if (session.state !== "Loaded") return;
		session.state = "Unloaded";
		session.reason = "ProfileStore ended the session (another server took the key, or shutdown)";
		session.data = undefined;
		if (this.departed.has(player) || session.kicked) return;
		session.kicked = true;
		warn(`[PlayerData] ${player.Name}: ${session.reason}; kicking, nothing more is saved from here`);
		player.Kick(KickMessages.sessionEnded);
	}

	private refuse(player: Player, session: PlayerSession, reason: string, kickMessage: string) {
		session.state = "Unloaded";
		session.reason = reason;
		session.data = undefined;
		if (session.kicked) return;
		session.kicked = true;
		warn(`[PlayerData] ${player.Name}: ${reason}; kicking, session marked unloaded (it will not be saved)`);
		player.Kick(kickMessage);
	}
}
