/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard, GuardError } from "shared/guard";
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import { PlayerData } from "server/data/PlayerData";
import { newPlayerProfileStore, PlayerProfileStore } from "server/data/PlayerProfileStore";
import { KickMessages, PlayerDataService } from "server/services/PlayerDataService";
import { asPlayer, fakePlayer } from "./fakePlayers";

const quiet = () => {};

function newDataService(profiles: PlayerProfileStore, loadTimeoutSeconds?: number) {
	return new PlayerDataService({ profiles, guard: new ExecutionGuard(false), loadTimeoutSeconds, log: quiet });
}

/** ProfileStore's session rules as PlayerDataService applies them (one server; across servers: PlayerDataHop.spec.lua). */
export = () => {
	describe("PlayerDataService sessions", () => {
		it("StartSessionAsync returning nil kicks with its own message and saves nothing", () => {
			const profiles = new MemoryProfileStore();
			profiles.Seed(8301, { coins: 400, level: 5 });
			profiles.FailLoads(8301);
			const playerData = newDataService(profiles);
			const player = fakePlayer(8301);
			expect(playerData.LoadData(asPlayer(player))).to.equal(undefined);
			expect(player.kicks.join("|")).to.equal(KickMessages.noSession);
			expect(playerData.GetSessionState(asPlayer(player))).to.equal("Unloaded");
			expect(playerData.SaveData(asPlayer(player))).to.equal(false);
			expect(playerData.SaveAll()).to.equal(0);
			playerData.ReleasePlayer(asPlayer(player));
			expect(profiles.saveCalls).to.equal(0);
			expect(profiles.Peek(8301)!.coins).to.equal(400);
		});

		it("a started session is reconciled with the template and associated with the player's UserId", () => {
			const profiles = new MemoryProfileStore();
			profiles.Seed(8302, { coins: 12 } as PlayerData); // saved before `level` existed
			const playerData = newDataService(profiles);
			const data = playerData.LoadData(asPlayer(fakePlayer(8302)))!;
			expect(data.coins).to.equal(12);
			expect(data.level).to.equal(1);
			expect(profiles.UserIdsOf(8302)!.join(",")).to.equal("8302");
		});

		it("a session ProfileStore ends on its own (another server took the key) kicks the player; nothing more is saved", () => {
			const profiles = new MemoryProfileStore();
			profiles.Seed(8303, { coins: 30, level: 2 });
			const playerData = newDataService(profiles);
			const player = fakePlayer(8303);
			playerData.LoadData(asPlayer(player));
			playerData.AddCoins(asPlayer(player), 5);
			profiles.StealSession(8303);
			task.wait();
			expect(player.kicks.join("|")).to.equal(KickMessages.sessionEnded);
			expect(playerData.GetData(asPlayer(player))).to.equal(undefined);
			expect(() => playerData.AddCoins(asPlayer(player), 1)).to.throw();
			expect(playerData.SaveData(asPlayer(player))).to.equal(false);
			playerData.ReleasePlayer(asPlayer(player));
			expect(profiles.saveCalls).to.equal(0);
			expect(profiles.Peek(8303)!.coins).to.equal(30);
		});

		it("a profile that arrives after its load timed out is released unchanged, so the rejoin can start a session", () => {
			const inner = new MemoryProfileStore();
			inner.Seed(8304, { coins: 500, level: 7 });
			inner.SetLoadLatency(8304, 15);
			// As ProfileStore.Mock: Cancel is not passed on, so the late profile does come.
			const ignoresCancel: PlayerProfileStore = {
				StartSessionAsync(key: string) {
					return inner.StartSessionAsync(key);
				},
			};
			const playerData = newDataService(ignoresCancel);
			const first = fakePlayer(8304);
			expect(playerData.LoadData(asPlayer(first))).to.equal(undefined);
			expect(first.kicks.join("|")).to.equal(KickMessages.timedOut);
			playerData.ReleasePlayer(asPlayer(first));
			task.wait(6); // the profile came at 15 s, for nobody
			expect(inner.Peek(8304)!.coins).to.equal(500);
			expect(inner.Peek(8304)!.level).to.equal(7);
			inner.SetLoadLatency(8304, 0);
			const data = playerData.LoadData(asPlayer(fakePlayer(8304)))!;
			expect(data).to.be.ok();
			expect(data.coins).to.equal(500);
		});

		it("runs on ProfileStore's own .Mock store: coins saved on leave are there on the rejoin", () => {
			const playerData = newDataService(newPlayerProfileStore({ name: "PlayerDataSessionsSpec", mock: true }));
			const player = fakePlayer(8305);
			expect(playerData.LoadData(asPlayer(player))!.coins).to.equal(0);
			playerData.AddCoins(asPlayer(player), 25);
			playerData.ReleasePlayer(asPlayer(player));
			expect(playerData.GetSessionState(asPlayer(player))).to.equal(undefined);
			const rejoined = fakePlayer(8305);
			expect(playerData.LoadData(asPlayer(rejoined))!.coins).to.equal(25);
			expect(playerData.SaveAll()).to.equal(1);
		});
		it("bad input gets a typed InvalidArgument naming the argument, and changes nothing", () => {
			const profiles = new MemoryProfileStore();
			profiles.Seed(8306, { coins: 10, level: 1 });
			const playerData = newDataService(profiles);
			const player = asPlayer(fakePlayer(8306));
			playerData.LoadData(player);
			const errorOf = (call: () => unknown) => {
				const [ok, err] = pcall(call);
				expect(ok).to.equal(false);
				expect(GuardError.is(err, "InvalidArgument")).to.equal(true);
				return (err as GuardError).message;
			};
			expect(errorOf(() => playerData.AddCoins(player, 0 / 0)).find("amount", 1, true)[0]).to.be.ok();
			expect(errorOf(() => playerData.AddCoins(player, 1.5)).find("amount", 1, true)[0]).to.be.ok();
			const notAFunction = "coins" as unknown as (data: PlayerData) => void;
			expect(errorOf(() => playerData.Update(player, notAFunction)).find("change", 1, true)[0]).to.be.ok();
			const noStore = {} as unknown as PlayerProfileStore;
			expect(errorOf(() => newDataService(noStore)).find("deps.profiles", 1, true)[0]).to.be.ok();
			expect(errorOf(() => newDataService(profiles, -1)).find("loadTimeoutSeconds", 1, true)[0]).to.be.ok();
			expect(playerData.GetData(player)!.coins).to.equal(10);
		});
	});
};
