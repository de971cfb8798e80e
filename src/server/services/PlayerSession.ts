import { PlayerData } from "server/data/PlayerData";

/**
 * A player's session: `Loading` until the store answered, `Loaded` with data, `Leaving` while the
 * save of a player who left is writing (the data can no longer change), or `Unloaded` after a failed
 * or timed-out load. An `Unloaded` session is never saved.
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
	return { player, name: player.Name, state: "Loading", kicked: false };
}

/**
 * Marks `session` loaded with `data` and gives the player a `leaderstats.Coins` value showing it.
 *
 * @example
 * ```ts
 * markLoaded(session, player, { coins: 250, level: 3 });
 * ```
 */
export function markLoaded(session: PlayerSession, player: Player, data: PlayerData) {
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
}
