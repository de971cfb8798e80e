import { DataStoreService } from "@rbxts/services";
import { EffectStore } from "shared/guard";
import { REWARD_LEDGER_NAME, RewardLedger } from "../services/rewardLedger";
import { LedgerGrant } from "./DemoChecks";

const KEY_PREFIX = "player_";

/**
 * Every grant the daily-reward ledger holds, read the way any server reads it: the keys of the
 * "DailyRewards" DataStore under `player_` (ListKeysAsync), each through the ledger's own
 * `EffectStore.Read` (a `UseCache = false` read). One entry per granted day in `days`; when a player's
 * `grants` counter is past the number of days (a day granted twice), the extra grants are added as
 * repeats of that player's latest day, so they count as double grants without inventing a player-day.
 * Days from earlier runs (stores kept in `.emulator-store.json`) are included; `npm start -- --fresh`
 * starts empty. Yields; throws when the store cannot be read (the report then says so).
 *
 * @example
 * ```ts
 * const grants = readRewardLedger(); // [{ userId: 1001, day: "2026-09-21" }, ...]
 * ```
 */
export function readRewardLedger(dataStore: DataStore = DataStoreService.GetDataStore(REWARD_LEDGER_NAME)) {
	const ledger = new EffectStore({ dataStore });
	const grants = new Array<LedgerGrant>();
	const pages = dataStore.ListKeysAsync(KEY_PREFIX, 100);
	while (true) {
		for (const item of pages.GetCurrentPage() as Array<DataStoreKey>) {
			const userId = tonumber(item.KeyName.sub(KEY_PREFIX.size() + 1));
			if (userId === undefined) continue;
			const [snapshot, err] = ledger.Read<RewardLedger>(item.KeyName);
			if (err !== undefined) throw err;
			const data = snapshot?.data;
			if (data === undefined) continue;
			const days = new Array<string>();
			for (const [day] of pairs(data.days ?? {})) days.push(day as string);
			days.sort();
			for (const day of days) grants.push({ userId, day });
			for (let extra = days.size(); extra < data.grants; extra++)
				grants.push({ userId, day: days[days.size() - 1] ?? "?" });
		}
		if (pages.IsFinished) break;
		pages.AdvanceToNextPageAsync();
	}
	return grants;
}
