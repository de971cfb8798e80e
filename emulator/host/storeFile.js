// The file `npm start` keeps a universe's stores in between runs (git-ignored): the cloud's snapshot
// (engine/Cloud.luau: { clock, backends }) as JSON. The engine hands the snapshot back in its result
// (on native, the result is the run's last stdout line) and gets it at the next boot as
// options.cloudSnapshot. Tests never use it: their stores live in memory only.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

export const STORE_FILE = ".emulator-store.json";

/**
 * @param {string} path the store file
 * @returns {{ ok: true, snapshot: object | null } | { ok: false, message: string }} null: no file yet
 * @example const saved = readStoreFile(join(root, STORE_FILE));
 */
export function readStoreFile(path) {
	if (!existsSync(path)) return { ok: true, snapshot: null };
	let snapshot;
	try {
		snapshot = JSON.parse(readFileSync(path, "utf8"));
	} catch (error) {
		return { ok: false, message: `${path} is not JSON (${error.message}); delete it or run with --fresh` };
	}
	const valid = snapshot && typeof snapshot === "object" && typeof snapshot.clock === "number";
	if (!valid || !snapshot.backends || typeof snapshot.backends !== "object") {
		return { ok: false, message: `${path} is not a saved universe ({ clock, backends }); delete it or run with --fresh` };
	}
	return { ok: true, snapshot };
}

/** Writes the snapshot whole or not at all (a temp file renamed over the old one). */
export function writeStoreFile(path, snapshot) {
	const temp = `${path}.tmp`;
	writeFileSync(temp, `${JSON.stringify(snapshot, null, "\t")}\n`);
	renameSync(temp, path);
}
