import { ReplicatedStorage } from "@rbxts/services";
import { DailyRewardResult, RewardService } from "../services/RewardService";

/** The reward's two RemoteEvents, in `ReplicatedStorage.Remotes`. */
export interface RewardRemotes {
	/** Client → server: "claim my daily reward" (a button; clients spam it). */
	readonly claim: RemoteEvent;
	/** Server → client: `(day, amount)` — fired only with a result whose grant committed. */
	readonly granted: RemoteEvent;
}

function remote(folder: Instance, name: string): RemoteEvent {
	const existing = folder.FindFirstChild(name);
	if (existing !== undefined && existing.IsA("RemoteEvent")) return existing;
	const created = new Instance("RemoteEvent");
	created.Name = name;
	created.Parent = folder;
	return created;
}

/**
 * Creates `ReplicatedStorage.Remotes.ClaimDailyReward` and `.DailyRewardGranted` and connects them to
 * the reward: every claim goes through `RewardService.ClaimDailyReward` (its guards make spam harmless),
 * and the client is told "granted" only with a result that says `claimed` — after the grant's write
 * returned. What a client was told is what counts as an *acknowledged* grant in the demo's report. A
 * repeat claim the same day in the same server gets the cached result, so the client may be told twice
 * about one grant: the report counts player-days, not messages.
 *
 * @example
 * ```ts
 * const remotes = connectRewardRemotes(server.rewards);
 * remotes.granted.OnClientEvent.Connect((day, amount) => showToast(`+${amount} coins for ${day}`));
 * ```
 */
export function connectRewardRemotes(rewards: RewardService, parent: Instance = ReplicatedStorage): RewardRemotes {
	let folder = parent.FindFirstChild("Remotes");
	if (folder === undefined) {
		folder = new Instance("Folder");
		folder.Name = "Remotes";
		folder.Parent = parent;
	}
	const remotes = { claim: remote(folder, "ClaimDailyReward"), granted: remote(folder, "DailyRewardGranted") };
	remotes.claim.OnServerEvent.Connect((player) => {
		const [, result] = rewards.ClaimDailyReward(player);
		if (typeIs(result, "table") && (result as DailyRewardResult).claimed === true) {
			const granted = result as DailyRewardResult;
			remotes.granted.FireClient(player, granted.day, granted.amount);
		}
	});
	return remotes;
}
