/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard } from "shared/guard";
import { InMemoryDataStore } from "server/data/InMemoryDataStore";
import { PlayerData, PlayerDataStore } from "server/data/PlayerData";
import { PlayerDataService } from "server/services/PlayerDataService";
import { asPlayer, fakePlayer } from "./fakePlayers";

/** Records every Save call — also one that would fail — before passing it to the real store. */
class SaveSpy implements PlayerDataStore {
	public readonly saveCalls = new Array<number>();
	public constructor(private readonly inner: InMemoryDataStore) {}
	public Load(userId: number) {
		return this.inner.Load(userId);
	}
	public Save(userId: number, data: PlayerData) {
		this.saveCalls.push(userId);
		this.inner.Save(userId, data);
	}
}

/** The rule that matters most: a failed or timed-out load never lets defaults be saved over real data. */
export = () => {
	describe("a load that failed, timed out or has not finished is never saved", () => {
		it("SaveData, SaveAll and the leave never call the store's Save for such a session", () => {
			const store = new InMemoryDataStore();
			store.Seed(9001, { coins: 500, level: 7 });
			store.FailLoads(9001, "DataStore request was throttled");
			store.Seed(9002, { coins: 900, level: 9 });
			store.SetLoadLatency(9002, 15);
			store.Seed(9003, { coins: 300, level: 4 });
			store.SetLoadLatency(9003, 5);
			const spy = new SaveSpy(store);
			const playerData = new PlayerDataService({ store: spy, guard: new ExecutionGuard(false), log: () => {} });
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
			expect(spy.saveCalls.size()).to.equal(0);
			expect(store.Peek(9001)!.coins).to.equal(500);
			expect(store.Peek(9002)!.coins).to.equal(900);
			expect(store.Peek(9003)!.coins).to.equal(300);
		});
	});
};
