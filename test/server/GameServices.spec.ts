/// <reference types="@rbxts/testez/globals" />
import { DataStoreService, HttpService } from "@rbxts/services";
import { EffectStore, ExecutionGuard, GuardError, StoreClock } from "shared/guard";
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import { GameServer } from "server/GameServer";
import { ArenaService } from "server/services/ArenaService";
import { DailyRewardResult, RewardService } from "server/services/RewardService";
import { KickMessages, PlayerDataService } from "server/services/PlayerDataService";
import { asPlayer, fakePlayer } from "./fakePlayers";

const quiet = () => {};

/** A daily-reward ledger of its own (a fresh DataStore scope), so specs never see each other's grants. */
function freshLedger() {
	const dataStore = DataStoreService.GetDataStore("DailyRewards", HttpService.GenerateGUID(false));
	return { ledger: new EffectStore({ dataStore }), clock: new StoreClock({ dataStore }) };
}

function newDataService(store: MemoryProfileStore, guard = new ExecutionGuard(false)) {
	return new PlayerDataService({ profiles: store, guard, log: quiet });
}

export = () => {
	describe("PlayerDataService", () => {
		it("a load slower than 10 s times out, kicks the player and never saves defaults over real data", () => {
			const store = new MemoryProfileStore();
			store.Seed(1, { coins: 500, level: 7 });
			store.SetLoadLatency(1, 15);
			const playerData = newDataService(store);
			const player = fakePlayer(1);
			const began = os.clock();
			const data = playerData.LoadData(asPlayer(player));
			const waited = os.clock() - began;
			expect(data).to.equal(undefined);
			expect(waited >= 10 - 1e-6 && waited < 10.5).to.equal(true);
			expect(player.kicks.size()).to.equal(1);
			expect(player.kicks[0]).to.equal(KickMessages.timedOut);
			expect(playerData.GetSessionState(asPlayer(player))).to.equal("Unloaded");
			expect(playerData.SaveData(asPlayer(player))).to.equal(false);
			// The store would have answered at 15 s: that late answer must not revive the session.
			task.wait(6);
			expect(playerData.GetData(asPlayer(player))).to.equal(undefined);
			expect(playerData.SaveAll()).to.equal(0);
			playerData.ReleasePlayer(asPlayer(player));
			expect(store.saveCalls).to.equal(0);
			expect(store.Peek(1)!.coins).to.equal(500);
			expect(store.Peek(1)!.level).to.equal(7);
		});

		it("a failing load kicks once, marks the session unloaded and refuses saves", () => {
			const store = new MemoryProfileStore();
			store.Seed(2, { coins: 900, level: 9 });
			store.FailLoads(2);
			const playerData = newDataService(store);
			const player = fakePlayer(2);
			expect(playerData.LoadData(asPlayer(player))).to.equal(undefined);
			expect(player.kicks.size()).to.equal(1);
			expect(playerData.GetSessionState(asPlayer(player))).to.equal("Unloaded");
			// A second LoadData (a racing join handler) neither reloads nor kicks again.
			expect(playerData.LoadData(asPlayer(player))).to.equal(undefined);
			expect(store.loads).to.equal(1);
			expect(player.kicks.size()).to.equal(1);
			playerData.ReleasePlayer(asPlayer(player));
			expect(store.saves).to.equal(0);
			expect(store.Peek(2)!.coins).to.equal(900);
		});

		it("a new player gets defaults, and a loaded session is saved when the player leaves", () => {
			const store = new MemoryProfileStore({ latencySeconds: 0.2 });
			const playerData = newDataService(store);
			const player = fakePlayer(3);
			const data = playerData.LoadData(asPlayer(player))!;
			expect(data.coins).to.equal(0);
			expect(data.level).to.equal(1);
			playerData.AddCoins(asPlayer(player), 40);
			playerData.ReleasePlayer(asPlayer(player));
			expect(store.saves).to.equal(1);
			expect(store.Peek(3)!.coins).to.equal(40);
			expect(player.kicks.size()).to.equal(0);
		});

		it("racing LoadData calls for one player share a single store read", () => {
			const store = new MemoryProfileStore({ latencySeconds: 1 });
			store.Seed(4, { coins: 70, level: 2 });
			const playerData = newDataService(store);
			const player = fakePlayer(4);
			let first: unknown;
			task.spawn(() => {
				first = playerData.LoadData(asPlayer(player));
			});
			const second = playerData.LoadData(asPlayer(player));
			task.wait();
			expect(store.loads).to.equal(1);
			expect(second).to.be.ok();
			expect(first).to.equal(second);
			expect(playerData.GetData(asPlayer(player))!.coins).to.equal(70);
		});
		it("a player leaving mid-load cancels the load: no kick, no save, and a rejoin reads the store again", () => {
			const store = new MemoryProfileStore({ latencySeconds: 2 });
			store.Seed(6, { coins: 60, level: 2 });
			const playerData = newDataService(store);
			const player = fakePlayer(6);
			let loaded: unknown = "pending";
			task.spawn(() => {
				loaded = playerData.LoadData(asPlayer(player));
			});
			task.wait(1);
			playerData.ReleasePlayer(asPlayer(player));
			expect(loaded).to.equal(undefined);
			expect(player.kicks.size()).to.equal(0);
			expect(playerData.GetSessionState(asPlayer(player))).to.equal(undefined);
			task.wait(2);
			expect(store.saves).to.equal(0);
			// A rejoin is a new Player object with the same UserId.
			const data = playerData.LoadData(asPlayer(fakePlayer(6)))!;
			expect(store.loads).to.equal(2);
			expect(data.coins).to.equal(60);
		});

		it("a save requested while another is in flight joins it: one write, and a later save writes again", () => {
			const store = new MemoryProfileStore({ latencySeconds: 1 });
			const playerData = newDataService(store);
			const player = fakePlayer(5);
			playerData.LoadData(asPlayer(player));
			task.spawn(() => playerData.SaveData(asPlayer(player)));
			expect(playerData.SaveData(asPlayer(player))).to.equal(true);
			expect(store.saves).to.equal(1);
			expect(playerData.SaveData(asPlayer(player))).to.equal(true);
			expect(store.saves).to.equal(2);
		});
	});

	describe("RewardService", () => {
		function loadedPlayer(userId: number, now?: () => number) {
			const store = new MemoryProfileStore();
			const guard = new ExecutionGuard(false);
			const playerData = newDataService(store, guard);
			const rewards = new RewardService({ guard, playerData, now, log: quiet, ...freshLedger() });
			const player = fakePlayer(userId);
			playerData.LoadData(asPlayer(player));
			return { store, guard, playerData, rewards, player };
		}

		it("a double claim at the same instant grants the daily reward once", () => {
			const { playerData, rewards, player } = loadedPlayer(10);
			const outcomes: [boolean, unknown][] = [];
			for (let index = 0; index < 2; index++) {
				task.spawn(() => {
					const [granted, result] = rewards.ClaimDailyReward(asPlayer(player));
					outcomes.push([granted, result]);
				});
			}
			task.wait(1); // the ledger write takes the store's latency
			expect(outcomes.size()).to.equal(2);
			// The racing one is refused, (false, nil), while the first writes: it is never told it was granted.
			expect(outcomes[0][0]).to.equal(false);
			expect(outcomes[0][1]).to.equal(undefined);
			expect(outcomes[1][0]).to.equal(true);
			expect((outcomes[1][1] as DailyRewardResult).claimed).to.equal(true);
			// A later claim the same day gets the cached, committed result.
			const [again, cached] = rewards.ClaimDailyReward(asPlayer(player));
			expect(again).to.equal(false);
			expect((cached as DailyRewardResult).committed).to.equal(true);
			expect(playerData.GetData(asPlayer(player))!.coins).to.equal(100);
		});

		it("the next UTC day grants again; a rejoin the same day does not", () => {
			let now = 1_700_000_000; // 2023-11-14 22:13:20 UTC
			const { store, playerData, rewards, player } = loadedPlayer(11, () => now);
			expect(rewards.ClaimDailyReward(asPlayer(player))[0]).to.equal(true);
			now += 3600; // 23:13 the same UTC day... still the 14th
			expect(rewards.today()).to.equal("2023-11-14");
			expect(rewards.ClaimDailyReward(asPlayer(player))[0]).to.equal(false);
			// Leave and rejoin the same day: the guard keys are gone, the saved marker still refuses.
			playerData.ReleasePlayer(asPlayer(player));
			rewards.ReleasePlayer(asPlayer(player));
			expect(store.Peek(11)!.coins).to.equal(100);
			const rejoined = fakePlayer(11); // a rejoin is a new Player object
			playerData.LoadData(asPlayer(rejoined));
			const [ranAgain, again] = rewards.ClaimDailyReward(asPlayer(rejoined));
			expect(ranAgain).to.equal(true);
			expect((again as DailyRewardResult).claimed).to.equal(false);
			expect(playerData.GetData(asPlayer(rejoined))!.coins).to.equal(100);
			now += 3600; // past midnight UTC
			expect(rewards.today()).to.equal("2023-11-15");
			const [granted, result] = rewards.ClaimDailyReward(asPlayer(rejoined));
			expect(granted).to.equal(true);
			expect((result as DailyRewardResult).claimed).to.equal(true);
			expect(playerData.GetData(asPlayer(rejoined))!.coins).to.equal(200);
		});

		it("a claim before the data loaded fails without being cached, and succeeds after the load", () => {
			const store = new MemoryProfileStore();
			const guard = new ExecutionGuard(false);
			const playerData = newDataService(store, guard);
			const rewards = new RewardService({ guard, playerData, log: quiet, ...freshLedger() });
			const player = fakePlayer(12);
			const [granted, err] = rewards.ClaimDailyReward(asPlayer(player));
			expect(granted).to.equal(false);
			expect(GuardError.is(err, "ExecutionFailed")).to.equal(true);
			playerData.LoadData(asPlayer(player));
			expect(rewards.ClaimDailyReward(asPlayer(player))[0]).to.equal(true);
			expect(playerData.GetData(asPlayer(player))!.coins).to.equal(100);
		});
	});

	describe("ArenaService", () => {
		it("racing InitializeArena callers build the arena once", () => {
			const parent = new Instance("Folder");
			const arena = new ArenaService({ guard: new ExecutionGuard(false), parent, log: quiet });
			const results: boolean[] = [];
			for (let index = 0; index < 5; index++) {
				task.spawn(() => {
					const [built] = arena.InitializeArena();
					results.push(built);
				});
			}
			task.wait(4);
			expect(arena.builds).to.equal(1);
			expect(results.filter((built) => built === true).size()).to.equal(1);
			expect(results.size()).to.equal(5);
			expect(parent.GetChildren().size()).to.equal(1);
			expect(arena.IsReady()).to.equal(true);
			const [builtLater, info] = arena.InitializeArena();
			expect(builtLater).to.equal(false);
			expect((info as { spawns: number }).spawns).to.equal(4);
			expect(arena.builds).to.equal(1);
		});
	});

	describe("GameServer boot", () => {
		it("boots through the registry in dependency order, and booting twice is harmless", () => {
			const guard = new ExecutionGuard(false);
			const server = new GameServer({
				guard,
				profiles: new MemoryProfileStore(),
				arenaParent: new Instance("Folder"),
				log: quiet,
				registryOutput: false,
			});
			expect(server.Boot()).to.equal(true);
			expect(server.Boot()).to.equal(false);
			expect(server.registry.GetOrder().join(",")).to.equal(
				"PlayerDataService,RewardService,ArenaService,CombatService",
			);
			for (const lifecycle of server.registry.GetGuards()) expect(lifecycle.GetState()).to.equal("Started");
			task.wait(4);
			server.arena.InitializeArena();
			expect(server.arena.builds).to.equal(1);
		});

		it("a joining player is loaded, rewarded once and saved at shutdown", () => {
			const store = new MemoryProfileStore();
			store.Seed(20, { coins: 5, level: 1 });
			const server = new GameServer({
				guard: new ExecutionGuard(false),
				profiles: store,
				arenaParent: new Instance("Folder"),
				log: quiet,
				registryOutput: false,
			});
			server.Boot();
			const player = fakePlayer(20);
			task.spawn(() => server.OnPlayerAdded(asPlayer(player)));
			server.OnPlayerAdded(asPlayer(player));
			task.wait(4);
			expect(server.playerData.GetData(asPlayer(player))!.coins).to.equal(105);
			expect(server.Shutdown()).to.equal(1);
			expect(store.Peek(20)!.coins).to.equal(105);
			expect(server.registry.GetGuard("PlayerDataService")!.GetState()).to.equal("Destroyed");
		});

		it("combat is booted by the registry after its dependencies, seats only players whose data loaded, and is destroyed at shutdown", () => {
			const store = new MemoryProfileStore();
			store.FailLoads(31);
			const server = new GameServer({
				guard: new ExecutionGuard(false),
				profiles: store,
				arenaParent: new Instance("Folder"),
				log: quiet,
				registryOutput: false,
				combatCapacity: 2,
			});
			server.Boot();
			const combatGuard = server.registry.GetGuard("CombatService");
			expect(combatGuard).to.be.ok();
			expect(combatGuard!.GetState()).to.equal("Started");
			const needs = server.registry.GetReport().find((report) => report.name === "CombatService")!;
			expect(needs.dependencies.join(",")).to.equal("PlayerDataService,ArenaService");
			const { combat } = server;
			for (const userId of [30, 31, 32, 33]) task.spawn(() => server.OnPlayerAdded(asPlayer(fakePlayer(userId))));
			task.wait(1);
			// 31's load failed: kicked, never seated; 30 and 32 take the two seats; 33 is told it is full.
			const roster = combat.registration.GetRoster(combat.combatId).sort((a, b) => a < b);
			expect(roster.join(",")).to.equal("30,32");
			server.Shutdown();
			expect(combatGuard!.GetState()).to.equal("Destroyed");
			expect(combat.registration.GetSeatsTaken(combat.combatId)).to.equal(0);
		});
	});
};
