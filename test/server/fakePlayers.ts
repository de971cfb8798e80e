import { ExecutionGuard } from "shared/guard";

/** What a spec sees of a player: the fields the game reads, plus the kicks it received. */
export interface FakePlayer {
	readonly UserId: number;
	readonly Name: string;
	readonly kicks: string[];
	Kick(message?: string): void;
}

/**
 * A table standing in for a Player (specs cannot create Player instances): UserId, Name and a Kick
 * that records its message. A rejoin is a new call with the same `userId` — a new object, as Roblox
 * gives a rejoining player a new Player.
 *
 * @example
 * ```ts
 * const player = fakePlayer(42);
 * playerData.LoadData(asPlayer(player));
 * ```
 */
export function fakePlayer(userId: number, name = `Player${userId}`): FakePlayer {
	return {
		UserId: userId,
		Name: name,
		kicks: [],
		Kick(message?: string) {
			this.kicks.push(message ?? "");
		},
	};
}

/**
 * The fake as the `Player` type the services take.
 *
 * @example
 * ```ts
 * server.OnPlayerAdded(asPlayer(fakePlayer(42)));
 * ```
 */
export function asPlayer(player: FakePlayer) {
	return player as unknown as Player;
}

/**
 * Keys of `guard`'s stored records that belong to `userId`: the id appears as one `_`-separated part
 * of the key (`player_data_42_load`, `daily_reward_42_2026-09-21`), whatever the key's family.
 *
 * @example
 * ```ts
 * expect(recordKeysOf(guard, 42).size()).to.equal(0); // everything of player 42 was purged
 * ```
 */
export function recordKeysOf(guard: ExecutionGuard, userId: number): string[] {
	const id = tostring(userId);
	const keys = new Array<string>();
	for (const [key] of guard.GetAllRecords()) {
		if (key.split("_").includes(id)) keys.push(key);
	}
	return keys;
}
