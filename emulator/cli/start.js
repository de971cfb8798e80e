#!/usr/bin/env node
// `npm start`: compiles the game, boots default.project.json in the offline Roblox server, runs its
// Server Scripts, lets simulated players join at the same instant, runs the virtual clock, then shuts
// the server down (PlayerRemoving, BindToClose) and exits non-zero if anything went wrong.
// The stores (DataStore, MemoryStore) are kept in .emulator-store.json (git-ignored) between runs, so a
// second run sees what the first one saved; --fresh starts empty (and overwrites the file).
//
//   npm start -- --players 8 --duration 90 --seed 3
//   npm start -- --servers 3          a universe of 3 servers on one clock, players spread by the seed
//   npm start -- --fresh              start with empty stores
//   npm start -- --vm native          on the official native Luau CLI (LUAU_BIN, else luau on PATH)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { preparePlace } from "../host/preparePlace.js";
import { runServer, VMS } from "../host/runServer.js";
import { findNativeLuau } from "../host/findNativeLuau.js";
import { printFailure, printLine } from "../host/output.js";
import { readStoreFile, STORE_FILE, writeStoreFile } from "../host/storeFile.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const settings = { players: 6, duration: 60, seed: 1, joinAt: 1, servers: 1 };
const args = process.argv.slice(2);
let vm = "web";
let fresh = false;
for (let index = 0; index < args.length; index++) {
	const name = args[index].replace(/^--/, "");
	if (name === "fresh") {
		fresh = true;
		continue;
	}
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
		printFailure(`unknown option ${args[index]} (known: --players, --duration, --seed, --join-at, --servers, --fresh, --vm)`);
		process.exit(2);
	}
	const value = Number(args[++index]);
	if (!Number.isFinite(value) || value < 0) {
		printFailure(`${args[index - 1]} needs a number ≥ 0, got ${args[index]}`);
		process.exit(2);
	}
	settings[key] = value;
}
if (!Number.isInteger(settings.servers) || settings.servers < 1) {
	printFailure(`--servers needs a whole number ≥ 1, got ${settings.servers}`);
	process.exit(2);
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

const storePath = join(root, STORE_FILE);
const stored = fresh ? { ok: true, snapshot: null } : readStoreFile(storePath);
if (!stored.ok) {
	printFailure(stored.message);
	process.exit(2);
}

const place = preparePlace({ root, project: "default.project.json" });
if (!place.ok) {
	printFailure(place.message);
	process.exit(1);
}
const serversText = settings.servers === 1 ? "server shuts" : `${settings.servers} servers shut`;
console.log(
	`[emulator] booting default.project.json: ${players.length} simulated player(s) join at ${settings.joinAt} s, ` +
		`${serversText} down at ${settings.duration} s (virtual), seed ${settings.seed}, ` +
		(nativeLuau ? `on native Luau (${nativeLuau.path})` : "on luau-web"),
);
if (stored.snapshot) {
	const names = Object.keys(stored.snapshot.backends);
	const savedAt = new Date(stored.snapshot.clock * 1000).toISOString();
	console.log(`[emulator] stores from ${STORE_FILE} (saved at ${savedAt} store time): ${names.join(", ") || "none kept"}`);
} else {
	console.log(`[emulator] stores start empty${fresh ? " (--fresh)" : ""}; they are kept in ${STORE_FILE}`);
}
const result = await runServer(
	place.tree,
	{
		mode: "start",
		seed: settings.seed,
		players,
		joinAt: settings.joinAt,
		duration: settings.duration,
		servers: settings.servers,
		persist: true,
		...(stored.snapshot ? { cloudSnapshot: stored.snapshot } : {}),
		wallTimeout: 120,
		vm,
		...(nativeLuau ? { luauBin: nativeLuau.path } : {}),
	},
	printLine,
);
if (result.heapKB) console.log(`[emulator] Luau heap with every server and player up (gcinfo, garbage included): ${result.heapKB} KB`);
if (result.cloudSnapshot) writeStoreFile(storePath, result.cloudSnapshot);
for (const failure of result.failures ?? []) printFailure(`FAILED: ${failure}`);
process.exit(result.ok ? 0 : 1);
