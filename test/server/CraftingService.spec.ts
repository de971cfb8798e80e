/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard, GuardError } from "shared/guard";
import { CraftingBroadcast, CraftingService } from "server/crafting/CraftingService";
import { MemoryProfileStore } from "server/data/MemoryProfileStore";
import { GameServer } from "server/GameServer";
import { asPlayer, fakePlayer } from "./fakePlayers";

const quiet = () => {};

export = () => {
	describe("CraftingService (an ExecutionQueue per station)", () => {
		it("broadcasts every change to the players at that station only, with the station's status", () => {
			const received = new Array<string>();
			const crafting = new CraftingService({
				queue: { maxConcurrentExecutions: 1 },
				remoteParent: new Instance("Folder"),
				send: (player, message: CraftingBroadcast) =>
					received.push(`${player.Name}:${message.stationId}:${message.event}:${message.status.queueLength}`),
				log: quiet,
			});
			crafting.Init();
			const alice = asPlayer(fakePlayer(1, "Alice"));
			const bob = asPlayer(fakePlayer(2, "Bob"));
			const carol = asPlayer(fakePlayer(3, "Carol"));
			crafting.Craft(carol, "forge_2", "Axe", () => "Axe");
			received.clear();
			const sword = crafting.Craft(alice, "forge_1", "Sword", () => {
				task.wait(1);
				return "Sword";
			});
			crafting.Craft(bob, "forge_1", "Shield", () => "Shield");
			sword.ticket!.Await();
			// Carol stands at forge_2: none of forge_1's broadcasts reach her.
			expect(received.filter((line) => line.find("Carol")[0] !== undefined).size()).to.equal(0);
			expect(received.includes("Alice:forge_1:Queued:1")).to.equal(true); // Bob's request, seen by Alice
			expect(received.includes("Bob:forge_1:Completed:0")).to.equal(true);
			expect(received.includes("Alice:forge_1:Started:0")).to.equal(true);
		});

		it("refuses a second craft (UserBusy) and a full station (QueueFull); a leave cancels the queued craft", () => {
			const crafting = new CraftingService({
				queue: { maxConcurrentExecutions: 1, maxQueueSize: 1 },
				remoteParent: new Instance("Folder"),
				log: quiet,
			});
			crafting.Init();
			const [a, b, c] = [asPlayer(fakePlayer(1)), asPlayer(fakePlayer(2)), asPlayer(fakePlayer(3))];
			crafting.Craft(a, "forge_1", "Sword", () => task.wait(1));
			const queued = crafting.Craft(b, "forge_1", "Shield", () => 1);
			expect(GuardError.is(crafting.Craft(c, "forge_1", "Boots", () => 1).refusal, "QueueFull")).to.equal(true);
			expect(GuardError.is(crafting.Craft(b, "forge_2", "Axe", () => 1).refusal, "UserBusy")).to.equal(true);
			crafting.ReleasePlayer(b);
			expect(queued.ticket!.status).to.equal("Cancelled");
			expect(crafting.queue.GetExecutionStatus("forge_1").queueLength).to.equal(0);
			crafting.Destroy();
		});

		it("is registered in the GameServer's registry, and a leave through the GameServer cancels a queued craft", () => {
			const server = new GameServer({
				guard: new ExecutionGuard(false),
				profiles: new MemoryProfileStore(),
				arenaParent: new Instance("Folder"),
				crafting: { queue: { maxConcurrentExecutions: 1 }, remoteParent: new Instance("Folder") },
				log: quiet,
				registryOutput: false,
			});
			server.Boot();
			expect(server.registry.GetOrder().includes("CraftingService")).to.equal(true);
			const [a, b] = [asPlayer(fakePlayer(1)), asPlayer(fakePlayer(2))];
			server.crafting.Craft(a, "forge_1", "Sword", () => task.wait(1));
			const queued = server.crafting.Craft(b, "forge_1", "Shield", () => 1);
			server.OnPlayerRemoving(b);
			expect(queued.ticket!.status).to.equal("Cancelled");
			server.Shutdown();
		});
	});
};
