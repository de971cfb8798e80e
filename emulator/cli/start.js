#!/usr/bin/env node
// `npm start`: compiles the game, boots default.project.json in the offline Roblox server, runs its
// Server Scripts, lets simulated players join at the same instant, runs the virtual clock, then shuts
// the server down (PlayerRemoving, BindToClose) and exits non-zero if anything went wrong.
//
//   npm start -- --players 8 --duration 90 --seed 3
//   npm start -- --vm native          on the official native Luau CLI (LUAU_BIN, else luau on PATH)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { preparePlace } from "../host/preparePlace.js";
import { runServer, VMS } from "../host/runServer.js";
import { findNativeLuau } from "../host/findNativeLuau.js";
import { printFailure, printLine } from "../host/output.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const settings = { players: 6, duration: 60, seed: 1, joinAt: 1 };
const args = process.argv.slice(2);
let vm = "web";
for (let index = 0; index < args.length; index++) {
	const name = args[index].replace(/^--/, "");
	if (name === "vm") {
		vm = args[++index];
		if (!VMS.includes(vm)) {
			printFailure(`--vm needs one of ${VMS.join(", ")}, got ${vm}`);
			process.exit(2);
		}
		continue;
	}
	const key = { "join-at": "joinAt" }[name] ?? name;
	if (!(key in settings)) {
		printFailure(`unknown option ${args[index]} (known: --players, --duration, --seed, --join-at, --vm)`);
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

const nativeLuau = vm === "native" ? findNativeLuau() : null;
if (nativeLuau && !nativeLuau.ok) {
	printFailure(nativeLuau.message);
	process.exit(2);
}

const place = preparePlace({ root, project: "default.project.json" });
if (!place.ok) {
	printFailure(place.message);
	process.exit(1);
}
console.log(
	`[emulator] booting default.project.json: ${players.length} simulated player(s) join at ${settings.joinAt} s, ` +
		`server shuts down at ${settings.duration} s (virtual), seed ${settings.seed}, ` +
		(nativeLuau ? `on native Luau (${nativeLuau.path})` : "on luau-web"),
);
const result = await runServer(
	place.tree,
	{
		mode: "start",
		seed: settings.seed,
		players,
		joinAt: settings.joinAt,
		duration: settings.duration,
		wallTimeout: 120,
		vm,
		...(nativeLuau ? { luauBin: nativeLuau.path } : {}),
	},
	printLine,
);
for (const failure of result.failures ?? []) printFailure(`FAILED: ${failure}`);
process.exit(result.ok ? 0 : 1);
