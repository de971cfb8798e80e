/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard } from "shared/guard";
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import { GameServer } from "server/GameServer";
import { PlayerDataService } from "server/services/PlayerDataService";
import { asPlayer, fakePlayer, recordKeysOf } from "./fakePlayers";

const quiet = () => {};

function newGame(store: MemoryProfileStore, now?: () => number) {
	const guard = new ExecutionGuard(false);
	const server = new GameServer({
		guard,
		profiles: store,
		now,
		arenaParent: new Instance("Folder"),
		log: quiet,
		registryOutput: false,
	});
	server.Boot();
	return { guard, server };
}

function newDataService(store: MemoryProfileStore) {
	const guard = new ExecutionGuard(false);
	return { guard, playerData: new PlayerDataService({ profiles: store, guard, log: quiet }) };
}

/** Issue 9, item 1.15: a player's guard records go when they leave, never before their save finished. */
export = () => {
	describe("per-player purge on leave", () => {
		it("a player who left has no guard records once their save finished, and a rejoin reads the store (999, not 5)", () => {
			const store = new MemoryProfileStore({ latencySeconds: 0.2 });
			store.Seed(7301, { coins: 5, level: 1 });
			const { guard, server } = newGame(store);
			const leaver = fakePlayer(7301);
			server.OnPlayerAdded(asPlayer(leaver));
			expect(server.playerData.GetData(asPlayer(leaver))!.coins).to.equal(105);
			expect(recordKeysOf(guard, 7301).size() > 0).to.equal(true);
			server.OnPlayerRemoving(asPlayer(leaver));
			expect(store.Peek(7301)!.coins).to.equal(105);
			expect(recordKeysOf(guard, 7301).join(",")).to.equal("");
			// Another server wrote since (the player spent the day there): the rejoin must see that.
			// (It saved the reward coins it was credited too: the ledger's 100.)
			store.Seed(7301, {
				coins: 999,
				level: 1,
				lastDailyReward: server.rewards.today(),
				rewardCoinsCredited: 100,
			});
			const rejoined = fakePlayer(7301);
			server.OnPlayerAdded(asPlayer(rejoined));
			expect(server.playerData.GetData(asPlayer(rejoined))!.coins).to.equal(999);
			expect(store.loads).to.equal(2);
		});

		it("a rejoin while the leave-save is still writing waits for that save and reads what it wrote", () => {
			const store = new MemoryProfileStore({ latencySeconds: 1 });
			store.Seed(7302, { coins: 5, level: 1 });
			const { guard, playerData } = newDataService(store);
			const leaver = fakePlayer(7302);
			playerData.LoadData(asPlayer(leaver));
			playerData.AddCoins(asPlayer(leaver), 40);
			task.spawn(() => playerData.ReleasePlayer(asPlayer(leaver)));
			task.wait(0.5); // the leave-save is half-way
			const rejoined = fakePlayer(7302);
			const data = playerData.LoadData(asPlayer(rejoined))!;
			// It read the store again, after the save had written: not the leaving session's object.
			expect(store.saves).to.equal(1);
			expect(store.loads).to.equal(2);
			expect(data.coins).to.equal(45);
			task.wait(2); // the leave has long finished: it must not have taken the new session with it
			expect(playerData.GetSessionState(asPlayer(rejoined))).to.equal("Loaded");
			expect(playerData.AddCoins(asPlayer(rejoined), 1)).to.equal(46);
			expect(recordKeysOf(guard, 7302).size()).to.equal(1); // the new session's load, nothing older
		});

		it("a leave whose thread is cancelled mid-save still lets the rejoin read what that save wrote", () => {
			const store = new MemoryProfileStore({ latencySeconds: 1 });
			store.Seed(7308, { coins: 5, level: 1 });
			const { guard, playerData } = newDataService(store);
			const leaver = fakePlayer(7308);
			playerData.LoadData(asPlayer(leaver));
			playerData.AddCoins(asPlayer(leaver), 20);
			const leaveThread = task.spawn(() => playerData.ReleasePlayer(asPlayer(leaver)));
			task.wait(0.5);
			task.cancel(leaveThread); // e.g. the PlayerRemoving handler's thread was stopped
			task.wait(1);
			expect(store.Peek(7308)!.coins).to.equal(25);
			const rejoined = fakePlayer(7308);
			const data = playerData.LoadData(asPlayer(rejoined))!;
			expect(data.coins).to.equal(25);
			expect(store.loads).to.equal(2);
			expect(playerData.GetSessionState(asPlayer(rejoined))).to.equal("Loaded");
			expect(recordKeysOf(guard, 7308).size()).to.equal(1); // only the new session's load
		});

		it("a player who leaves during their load has no records left, and a rejoin reads the store", () => {
			const store = new MemoryProfileStore({ latencySeconds: 2 });
			store.Seed(7303, { coins: 30, level: 2 });
			const { guard, playerData } = newDataService(store);
			const leaver = fakePlayer(7303);
			task.spawn(() => playerData.LoadData(asPlayer(leaver)));
			task.wait(1);
			playerData.ReleasePlayer(asPlayer(leaver));
			expect(recordKeysOf(guard, 7303).join(",")).to.equal("");
			task.wait(2);
			expect(store.saves).to.equal(0);
			store.Seed(7303, { coins: 999, level: 2 });
			expect(playerData.LoadData(asPlayer(fakePlayer(7303)))!.coins).to.equal(999);
		});

		it("a timed-out load is purged on leave, and the rejoin gets a fresh load of the real data, never defaults", () => {
			const store = new MemoryProfileStore();
			store.Seed(7304, { coins: 500, level: 7 });
			store.SetLoadLatency(7304, 15);
			const { guard, playerData } = newDataService(store);
			const first = fakePlayer(7304);
			expect(playerData.LoadData(asPlayer(first))).to.equal(undefined);
			expect(first.kicks.size()).to.equal(1);
			playerData.ReleasePlayer(asPlayer(first));
			expect(recordKeysOf(guard, 7304).join(",")).to.equal("");
			store.SetLoadLatency(7304, 0);
			const data = playerData.LoadData(asPlayer(fakePlayer(7304)))!;
			expect(data.coins).to.equal(500);
			expect(data.level).to.equal(7);
			expect(store.saves).to.equal(0);
		});

		it("a LoadData for a player who already left (a late remote) opens no session; the rejoin reads the store", () => {
			const store = new MemoryProfileStore();
			store.Seed(7305, { coins: 5, level: 1 });
			const { guard, playerData } = newDataService(store);
			const leaver = fakePlayer(7305);
			playerData.LoadData(asPlayer(leaver));
			playerData.ReleasePlayer(asPlayer(leaver));
			expect(playerData.LoadData(asPlayer(leaver))).to.equal(undefined);
			expect(store.loads).to.equal(1);
			expect(recordKeysOf(guard, 7305).join(",")).to.equal("");
			store.Seed(7305, { coins: 999, level: 1 });
			expect(playerData.LoadData(asPlayer(fakePlayer(7305)))!.coins).to.equal(999);
		});

		it("a shutdown while a leave-save is writing waits for that save (one write, not two)", () => {
			const store = new MemoryProfileStore({ latencySeconds: 1 });
			const { playerData } = newDataService(store);
			const leaver = fakePlayer(7306);
			playerData.LoadData(asPlayer(leaver));
			playerData.AddCoins(asPlayer(leaver), 70);
			task.spawn(() => playerData.ReleasePlayer(asPlayer(leaver)));
			expect(playerData.SaveAll()).to.equal(1);
			expect(store.saves).to.equal(1);
			expect(store.Peek(7306)!.coins).to.equal(70);
		});

		it("a reward claim racing the leave-save grants nothing and leaves no record behind", () => {
			const store = new MemoryProfileStore({ latencySeconds: 1 });
			let now = 1_700_000_000; // 2023-11-14, 22:13 UTC
			const { guard, server } = newGame(store, () => now);
			const leaver = fakePlayer(7307);
			server.OnPlayerAdded(asPlayer(leaver));
			expect(server.playerData.GetData(asPlayer(leaver))!.coins).to.equal(100);
			now += 7200; // past midnight: a claim now would be a new day's grant
			task.spawn(() => server.OnPlayerRemoving(asPlayer(leaver)));
			task.wait(0.5); // the leave-save is writing 100 coins
			const [granted] = server.rewards.ClaimDailyReward(asPlayer(leaver));
			expect(granted).to.equal(false);
			task.wait(1);
			expect(store.Peek(7307)!.coins).to.equal(100);
			expect(store.Peek(7307)!.lastDailyReward).to.equal("2023-11-14");
			expect(recordKeysOf(guard, 7307).join(",")).to.equal("");
		});
	});
};
