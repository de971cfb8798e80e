import { PlayerData } from "server/data/PlayerData";
import { PlayerProfile, ProfileConnection } from "server/data/PlayerProfileStore";

/**
 * A player's session: `Loading` until ProfileStore started the session, `Loaded` with its profile,
 * `Leaving` while the last save of a player who left is writing (the data can no longer change), or
 * `Unloaded` after a failed, refused or timed-out load — or after ProfileStore ended the session on
 * its own (another server took it). An `Unloaded` session is never saved.
 */
export type SessionState = "Loading" | "Loaded" | "Leaving" | "Unloaded";

/** What PlayerDataService keeps per player between join and leave. */
export interface PlayerSession {
	/** The Player object this session belongs to; a rejoin is a new object with the same UserId. */
	readonly player: Player;
	readonly name: string;
	state: SessionState;
	data?: PlayerData;
	coins?: IntValue;
	leaderstats?: Folder;
	kicked: boolean;
	/** Why the session is `Unloaded`. */
	reason?: string;
	/** How the session start ended (SessionStartOutcome's kind), once it did. */
	startOutcome?: string;
	/** The ProfileStore profile, from the moment its session started here. */
	profile?: PlayerProfile;
	/** Saves of the profile that finished (its OnAfterSave count). */
	saves: number;
	/** The last save after EndSession finished: the key is free for another session. */
	released: boolean;
	connections: ProfileConnection[];
}

/**
 * The start of every guard key of one player's data (`player_data_42_load`, `player_data_42_save`),
 * so one `ClearPrefix` purges them all; the trailing `_` keeps player 12's keys apart from 123's.
 *
 * @example
 * ```ts
 * guard.ClearPrefix(playerKeyPrefix(42)); // "player_data_42_"
 * ```
 */
export function playerKeyPrefix(userId: number) {
	return `player_data_${userId}_`;
}

/**
 * A new session in `Loading` state.
 *
 * @example
 * ```ts
 * sessions.set(player.UserId, openSession(player));
 * ```
 */
export function openSession(player: Player): PlayerSession {
	return { player, name: player.Name, state: "Loading", kicked: false, saves: 0, released: false, connections: [] };
}

/**
 * Marks `session` loaded with `profile` (its `Data` is the session's data), counts its saves, and
 * gives the player a `leaderstats.Coins` value showing the coins. `onEnded` runs when ProfileStore
 * ends the session (also when this server's own EndSession did).
 *
 * @example
 * ```ts
 * markLoaded(session, player, profile, () => print("session over"));
 * ```
 */
export function markLoaded(session: PlayerSession, player: Player, profile: PlayerProfile, onEnded: () => void) {
	const data = profile.Data;
	session.state = "Loaded";
	session.profile = profile;
	session.data = data;
	session.connections.push(
		profile.OnAfterSave.Connect(() => {
			session.saves += 1;
			// Inactive after EndSession: this is the last save (or an autosave that was already in flight
			// and lands just before it — ProfileStore runs a key's saves, and a later start of the key
			// in this server, in order, so a rejoin here still reads after the last save).
			if (!profile.IsActive()) session.released = true;
		}),
		profile.OnSessionEnd.Connect(onEnded),
	);
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
}

/**
 * Yields, a frame at a time, until `done()` or `seconds` passed; returns `done()`. Polling holds
 * nothing: a waiter cancelled meanwhile leaves no registration behind for a signal to resume.
 *
 * @example
 * ```ts
 * waitUntil(() => session.released, 30);
 * ```
 */
export function waitUntil(done: () => boolean, seconds: number): boolean {
	const deadline = os.clock() + seconds;
	while (!done() && os.clock() < deadline) task.wait();
	return done();
}
