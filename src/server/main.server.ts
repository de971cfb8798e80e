/**
 * The game's Server Script: builds the services, boots them through the registry, connects the
 * player events and the shutdown. All game logic lives in {@link GameServer}; this file only wires
 * it to the engine — plus a short, labelled demo choreography (`[Demo]` lines) so `npm start` shows
 * every path: a slow load that times out, a session start that returns nil, racing duplicate calls.
 * Player data is ProfileStore's, on the (emulated) DataStores; the demo stages its slow and failing
 * starts per key in a StagedProfileStore around the real store.
 */
import { Players } from "@rbxts/services";
import { ExecutionGuard, IdempotentGuard } from "shared/guard";
import { newPlayerProfileStore, profileKeyOf } from "./data/PlayerProfileStore";
import { PlayerData } from "./data/PlayerData";
import { StagedProfileStore } from "./data/StagedProfileStore";
import { connectRewardRemotes } from "./demo/RewardRemotes";
import { GameServer } from "./GameServer";

print("[Server] ExecutionGuard demo server booting");

// Bounded memory: daily-reward keys expire after two days, and at most 10,000 records are kept.
const guard = new ExecutionGuard(false, { resultTtl: 2 * 86400, maxRecords: 10_000 });
const profiles = new StagedProfileStore(newPlayerProfileStore());
// Demo crafting limits (1 crafting, 2 waiting, 5 s timeout) so a short run shows a full queue and a timeout.
const crafting = { queue: { maxConcurrentExecutions: 1, maxQueueSize: 2, executionTimeout: 5 } };
// seasonJob: one server of the experience at a time resets the season every 10 minutes (a MemoryStore lease).
const server = new GameServer({ guard, profiles, seasonJob: {}, crafting });

server.Boot();
// Clients claim through ReplicatedStorage.Remotes.ClaimDailyReward and are told DailyRewardGranted after the grant.
connectRewardRemotes(server.rewards);
// A second boot (another script, a hot reload) must be harmless: nothing initialises or starts twice.
print(`[Server] second Boot() call: ${server.Boot() ? "ran again (bug!)" : "no-op, nothing ran twice"}`);

let joined = 0;

/** Demo only: the 1st player is a returning one, the 2nd has a stuck session start, the 4th a refused one. */
function stageDemoStore(player: Player) {
	joined += 1;
	const key = profileKeyOf(player.UserId);
	// Seed writes only a new key: a restarted server's first players keep the data they already have.
	const seeded = (data: PlayerData) =>
		profiles.Seed(key, data) ? "" : ` (not seeded: ${player.Name} already has stored data, kept as it is)`;
	if (joined === 1) {
		print(
			`[Demo] ${player.Name} is a returning player (250 coins saved earlier)${seeded({ coins: 250, level: 3 })}`,
		);
	} else if (joined === 2) {
		const note = seeded({ coins: 1200, level: 9 });
		profiles.DelayStarts(key, 15);
		print(
			`[Demo] ${player.Name}'s session start will take 15 s: expect the 10 s timeout, a kick, and no save${note}`,
		);
	} else if (joined === 4) {
		const note = seeded({ coins: 800, level: 6 });
		profiles.RefuseStarts(key);
		print(`[Demo] ${player.Name}'s session start will return nil: expect a kick, and no save${note}`);
	}
}

function onPlayerAdded(player: Player) {
	stageDemoStore(player);
	print(`[Server] ${player.Name} (UserId ${player.UserId}) joined`);
	task.spawn(() => server.OnPlayerAdded(player));
	// A second, racing trigger for the same work — as when a client remote also asks for the data and
	// the reward at join. The guard must make it harmless: one load, one reward, one arena.
	task.spawn(() => {
		print(`[Demo] ${player.Name}: duplicate load + reward claim + arena trigger racing the join handler`);
		if (server.playerData.LoadData(player) === undefined) return;
		server.rewards.ClaimDailyReward(player);
		server.arena.InitializeArena();
	});
}

Players.PlayerAdded.Connect(onPlayerAdded);
Players.PlayerRemoving.Connect((player) => {
	print(`[Server] ${player.Name} left`);
	server.OnPlayerRemoving(player);
});
// Players who joined before this script connected (a slow boot) still get their join handling.
for (const player of Players.GetPlayers()) task.spawn(onPlayerAdded, player);

// ---- [Demo] crafting stations (ExecutionQueue): queueing, a full queue, a second craft, a cancel, a timeout ----
function runCraftingDemo() {
	const players = Players.GetPlayers();
	if (players.size() < 5) return print(`[Demo] crafting needs 5 players, ${players.size()} here: skipped`);
	const [a, b, c, d, e] = [players[0], players[1], players[2], players[3], players[4]];
	const crafts = server.crafting;
	const craft = (item: string, seconds: number) => () => {
		task.wait(seconds);
		return item;
	};
	print("[Demo] crafting at forge_1: 1 crafts at a time, 2 may wait, a craft hanging past 5 s is stopped");
	crafts.Craft(a, "forge_1", "Iron Sword", craft("Iron Sword", 2));
	crafts.Craft(b, "forge_1", "Shield", craft("Shield", 1));
	const helmet = crafts.Craft(c, "forge_1", "Helmet", craft("Helmet", 1));
	crafts.Craft(d, "forge_1", "Boots", craft("Boots", 1)); // QueueFull: 1 running + 2 waiting
	crafts.Craft(b, "forge_2", "Axe", craft("Axe", 1)); // UserBusy: b already waits at forge_1
	print(`[Demo] ${c.Name} cancels their queued Helmet: ${crafts.Cancel(c, helmet.ticket!.id)}`);
	crafts.Craft(e, "forge_2", "Cursed Relic", craft("Cursed Relic", 60)); // hangs: stopped at 5 s
	task.delay(8, () => {
		for (const station of ["forge_1", "forge_2"]) {
			const stats = crafts.queue.GetStatistics(station);
			print(
				`[Demo] ${station} statistics: ${stats.totalExecutions} crafted or tried, ${stats.completedExecutions} completed, ` +
					`${stats.failedExecutions} failed or timed out, success ${stats.successRate}%`,
			);
		}
	});
}
task.delay(3, runCraftingDemo);
// ---- end of the crafting demo ----

game.BindToClose(() => {
	print("[Server] shutting down: saving every loaded session");
	server.Shutdown(() => {
		ExecutionGuard.printSummary(guard);
		server.combat.PrintSummary();
		server.crafting.PrintSummary();
		server.registry.PrintStartupTree();
		IdempotentGuard.printSummary(server.registry.GetGuards());
	});
	print("[Server] shutdown complete");
});
