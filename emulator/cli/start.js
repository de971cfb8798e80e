#!/usr/bin/env node
// `npm start`: compiles the game, boots default.project.json in the offline Roblox server, runs its
// Server Scripts, lets simulated players join at the same instant, runs the virtual clock, then shuts
// the server down (PlayerRemoving, BindToClose) and exits non-zero if anything went wrong.
//
//   npm start -- --players 8 --duration 90 --seed 3
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { preparePlace } from "../host/preparePlace.js";
import { runServer } from "../host/runServer.js";
import { printFailure, printLine } from "../host/output.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const settings = { players: 6, duration: 60, seed: 1, joinAt: 1 };
const args = process.argv.slice(2);
for (let index = 0; index < args.length; index++) {
	const name = args[index].replace(/^--/, "");
	const key = { "join-at": "joinAt" }[name] ?? name;
	if (!(key in settings)) {
		printFailure(`unknown option ${args[index]} (known: --players, --duration, --seed, --join-at)`);
		process.exit(2);
	}
	const value = Number(args[++index]);
	if (!Number.isFinite(value) || value < 0) {
		printFailure(`${args[index - 1]} needs a number ≥ 0, got ${args[index]}`);
		process.exit(2);
	}
	settings[key] = value;
}

const NAMES = ["Builderman", "Noob", "Guest_1", "Kaito", "Mila", "Zed", "Ava", "Bo", "Cyra", "Dax", "Eli", "Fay"];
const players = Array.from({ length: settings.players }, (_, index) => ({
	userId: 1001 + index,
	name: NAMES[index % NAMES.length] + (index >= NAMES.length ? `_${index}` : ""),
}));

const place = preparePlace({ root, project: "default.project.json" });
if (!place.ok) {
	printFailure(place.message);
	process.exit(1);
}
console.log(
	`[emulator] booting default.project.json: ${players.length} simulated player(s) join at ${settings.joinAt} s, ` +
		`server shuts down at ${settings.duration} s (virtual), seed ${settings.seed}`,
);
const result = await runServer(
	place.tree,
	{ mode: "start", seed: settings.seed, players, joinAt: settings.joinAt, duration: settings.duration, wallTimeout: 120 },
	printLine,
);
for (const failure of result.failures ?? []) printFailure(`FAILED: ${failure}`);
process.exit(result.ok ? 0 : 1);
