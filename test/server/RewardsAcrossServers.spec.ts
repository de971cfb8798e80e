/// <reference types="@rbxts/testez/globals" />
// The daily reward across real servers of a universe: the day comes from the store's clock (servers
// skewed ±90 s around UTC midnight cannot move it), a grant is shown only after its ledger write
// committed, and the coins follow the ledger (a crash between the ledger commit and the data save
// loses nothing and never credits twice). Player data is each server's own ProfileStore on the
// emulator's shared DataStoreService, as is the ledger.
import * as GuardModule from "shared/guard";
import * as GameServerModule from "server/GameServer";
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import * as ProfilesModule from "server/data/PlayerProfileStore";
import { DailyRewardResult } from "server/services/RewardService";
import { RewardLedger } from "server/services/rewardLedger";
import { peek } from "../effects/effectsWorld";

const quiet = () => {};

interface Game {
	readonly server: EmulatorServer;
	readonly gameServer: GameServerModule.GameServer;
}

/** Boots the game in a universe server: its own guard, DataStoreService and ProfileStore. */
function bootGame(
	server: EmulatorServer,
	options: { loadTimeoutSeconds?: number; profiles?: ProfilesModule.PlayerProfileStore } = {},
): Game {
	const guard = server.require("ReplicatedStorage.Shared.guard") as typeof GuardModule;
	const gameModule = server.require("ServerScriptService.TS.GameServer") as typeof GameServerModule;
	const profiles = server.require("ServerScriptService.TS.data.PlayerProfileStore") as typeof ProfilesModule;
	const gameServer = server.run((g) => {
		const booted = new gameModule.GameServer({
			guard: new guard.ExecutionGuard(false),
			profiles: options.profiles ?? profiles.newPlayerProfileStore(),
			loadTimeoutSeconds: options.loadTimeoutSeconds,
			log: quiet,
			registryOutput: false,
		});
		booted.Boot();
		const players = g.game.GetService("Players");
		players.PlayerAdded.Connect((player) => booted.OnPlayerAdded(player));
		players.PlayerRemoving.Connect((player) => booted.OnPlayerRemoving(player));
		return booted;
	});
	return { server, gameServer };
}

function playerIn(world: Game, userId: number) {
	return world.server.game.GetService("Players").GetPlayerByUserId(userId)!;
}

function claim(world: Game, userId: number): [boolean, DailyRewardResult] {
	return world.server.run(() => {
		const [ran, result] = world.gameServer.rewards.ClaimDailyReward(playerIn(world, userId));
		return [ran, result as DailyRewardResult] as [boolean, DailyRewardResult];
	});
}

function coinsOf(world: Game, userId: number) {
	return world.server.run(() => world.gameServer.playerData.GetData(playerIn(world, userId))?.coins);
}

function ledgerDays(universe: EmulatorUniverse, userId: number) {
	const stored = peek(universe, "DailyRewards", `player_${userId}`) as { data: RewardLedger } | undefined;
	const days = new Array<string>();
	if (stored) for (const [day] of pairs(stored.data.days)) days.push(day as string);
	days.sort();
	return days.join(",");
}

/** The coins ProfileStore's value in the DataStore holds for the player (undefined: no profile yet). */
function storedCoins(universe: EmulatorUniverse, userId: number) {
	const stored = peek(universe, "PlayerData", `Player_${userId}`) as { Data: { coins: number } } | undefined;
	return stored?.Data.coins;
}

const utcDay = (seconds: number) => os.date("!%Y-%m-%d", seconds);

export = () => {
	describe("RewardService across servers", () => {
		it("servers skewed +90 s and -90 s around UTC midnight grant by the store's day: once before midnight, once after", () => {
			const universe = Universe.new({ seed: 301, hopDelay: 1 });
			const toMidnight = 86400 - (universe.cloud.clock() % 86400);
			universe.advance(toMidnight - 60); // the store's clock reads 23:59:00
			const before = utcDay(universe.cloud.clock());
			const after = utcDay(universe.cloud.clock() + 86400);
			const ahead = bootGame(universe.startServer({ name: "Ahead", osTimeSkew: 90 }));
			const behind = bootGame(universe.startServer({ name: "Behind", osTimeSkew: -90 }));
			// The skew really crosses midnight: Ahead's os.time() is already tomorrow.
			expect(ahead.server.run((g) => utcDay(g.os.time()))).to.equal(after);
			universe.join(1, ahead.server); // the join claims
			universe.advance(1);
			expect(ledgerDays(universe, 1)).to.equal(before); // not tomorrow's, as Ahead's os.time would say
			expect(coinsOf(ahead, 1)).to.equal(100);
			universe.hop(1, behind.server); // 23:59:02: the same day, so nothing more
			universe.advance(1);
			expect(ledgerDays(universe, 1)).to.equal(before);
			expect(coinsOf(behind, 1)).to.equal(100);
			universe.advance(60); // the store reads 00:00:04; Behind's os.time() still yesterday
			expect(behind.server.run((g) => utcDay(g.os.time()))).to.equal(before);
			const [granted, result] = claim(behind, 1);
			expect(granted).to.equal(true);
			expect(result.claimed).to.equal(true);
			expect(result.day).to.equal(after);
			expect(ledgerDays(universe, 1)).to.equal(`${before},${after}`);
			expect(coinsOf(behind, 1)).to.equal(200);
			universe.hop(1, ahead.server);
			universe.advance(1);
			expect(ledgerDays(universe, 1)).to.equal(`${before},${after}`); // once per day, whichever server
			expect(coinsOf(ahead, 1)).to.equal(200);
			universe.close();
		});

		it("a grant is shown only after its ledger write committed: a failing store grants and shows nothing, the next claim grants once", () => {
			const universe = Universe.new({ seed: 302 });
			// Player data in memory: the fault below fails every UpdateAsync, ProfileStore's load included.
			const world = bootGame(universe.startServer({ name: "A" }), { profiles: new MemoryProfileStore() });
			world.server.run(() => world.gameServer.rewards.today()); // the store clock calibrates while the store is up
			universe.cloud.faults.configure({ service: "DataStore", kind: "UpdateAsync", errorRate: 1 });
			universe.join(2, world.server); // loads, claims: every ledger write fails
			universe.advance(60);
			const [ran, err] = claim(world, 2); // the failed claim was not cached: this one runs (and fails)
			expect(ran).to.equal(false);
			expect((err as unknown as { kind: string }).kind).to.equal("ExecutionFailed");
			expect(coinsOf(world, 2)).to.equal(0);
			expect(ledgerDays(universe, 2)).to.equal("");
			universe.cloud.faults.clear();
			const [granted, result] = claim(world, 2);
			expect(granted).to.equal(true);
			expect(result.claimed && result.committed).to.equal(true);
			expect(coinsOf(world, 2)).to.equal(100);
			const [again] = claim(world, 2);
			expect(again).to.equal(false);
			expect(coinsOf(world, 2)).to.equal(100);
			universe.close();
		});

		it("a crash between the ledger commit and the data save: the next server credits the coins once, later loads never again", () => {
			const universe = Universe.new({ seed: 303 });
			const a = bootGame(universe.startServer({ name: "A" }));
			universe.join(3, a.server);
			universe.advance(1);
			expect(coinsOf(a, 3)).to.equal(100); // granted, in memory only
			a.server.crash(); // nothing saved: the key holds the template ProfileStore wrote at the start
			expect(storedCoins(universe, 3)).to.equal(0);
			// A's session still locks the key: B waits for ProfileStore's steal (40+ s), so a longer timeout.
			const b = bootGame(universe.startServer({ name: "B" }), { loadTimeoutSeconds: 90 });
			universe.join(3, b.server); // loads nothing saved; the claim finds the day in the ledger
			universe.advance(100);
			expect(coinsOf(b, 3)).to.equal(100);
			universe.leave(3); // saved, with the credit watermark
			universe.advance(3);
			expect(storedCoins(universe, 3)).to.equal(100);
			const c = bootGame(universe.startServer({ name: "C" }));
			universe.join(3, c.server);
			universe.advance(1);
			expect(coinsOf(c, 3)).to.equal(100); // never credited twice
			expect(ledgerDays(universe, 3)).to.equal(utcDay(universe.cloud.clock()));
			universe.close();
		});
	});
};
