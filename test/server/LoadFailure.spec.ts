/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard } from "shared/guard";
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import { PlayerDataService } from "server/services/PlayerDataService";
import { asPlayer, fakePlayer } from "./fakePlayers";

/** The rule that matters most: a failed or timed-out load never lets defaults be saved over real data. */
export = () => {
	describe("a load that failed, timed out or has not finished is never saved", () => {
		it("SaveData, SaveAll and the leave never call Save or EndSession for such a session", () => {
			const store = new MemoryProfileStore();
			store.Seed(9001, { coins: 500, level: 7 });
			store.FailLoads(9001);
			store.Seed(9002, { coins: 900, level: 9 });
			store.SetLoadLatency(9002, 15);
			store.Seed(9003, { coins: 300, level: 4 });
			store.SetLoadLatency(9003, 5);
			const playerData = new PlayerDataService({
				profiles: store,
				guard: new ExecutionGuard(false),
				log: () => {},
			});
			const failed = fakePlayer(9001);
			const timedOut = fakePlayer(9002);
			const loading = fakePlayer(9003);
			expect(playerData.LoadData(asPlayer(failed))).to.equal(undefined);
			expect(playerData.LoadData(asPlayer(timedOut))).to.equal(undefined);
			task.spawn(() => playerData.LoadData(asPlayer(loading)));
			expect(playerData.GetSessionState(asPlayer(loading))).to.equal("Loading");
			for (const player of [failed, timedOut, loading]) {
				expect(playerData.SaveData(asPlayer(player))).to.equal(false);
			}
			expect(playerData.SaveAll()).to.equal(0);
			for (const player of [failed, timedOut, loading]) playerData.ReleasePlayer(asPlayer(player));
			task.wait(10); // the stuck and the cancelled reads would have answered by now
			expect(store.saveCalls).to.equal(0); // no Save or EndSession call, landed or not
			expect(store.Peek(9001)!.coins).to.equal(500);
			expect(store.Peek(9002)!.coins).to.equal(900);
			expect(store.Peek(9003)!.coins).to.equal(300);
		});
	});
};
