// Compiles the TypeScript with roblox-ts and builds the DataModel tree from a Rojo project file.
// Several people (and their tools) may test in one checkout at once: the compile output folder is
// shared, so compile + read happen under a lock directory.
import { spawnSync } from "node:child_process";
import { mkdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { buildTree } from "../project/buildTree.js";

const STALE_LOCK_MS = 3 * 60 * 1000;
const COMPILE_PROJECT = "test.project.json";

function sleep(ms) {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function withLock(root, body) {
	const lock = join(root, ".emulator-lock");
	const started = Date.now();
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			try {
				if (Date.now() - statSync(lock).mtimeMs > STALE_LOCK_MS) rmSync(lock, { recursive: true, force: true });
			} catch {}
			if (Date.now() - started > STALE_LOCK_MS) throw new Error(`could not take ${lock} (another compile running?)`);
			sleep(200);
		}
	}
	try {
		return body();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}

/**
 * @param {object} settings
 * @param {string} settings.root the repository root
 * @param {string} settings.project the Rojo project file (relative to root)
 * @param {boolean} [settings.compile=true] run roblox-ts first
 * @returns {{ ok: true, tree: object, compileSeconds: number } | { ok: false, message: string }}
 */
export function preparePlace({ root, project, compile = true }) {
	return withLock(root, () => {
		let compileSeconds = 0;
		if (compile) {
			const started = performance.now();
			const rbxtsc = join(root, "node_modules", ".bin", "rbxtsc");
			// one compile serves every place: the test project is the only one that maps test/ as well
			const run = spawnSync(rbxtsc, ["--rojo", COMPILE_PROJECT], { cwd: root, encoding: "utf8" });
			compileSeconds = (performance.now() - started) / 1000;
			const printed = `${run.stdout || ""}${run.stderr || ""}`.trim();
			if (run.status !== 0 || run.error) {
				return {
					ok: false,
					message: `TypeScript compile failed (rbxtsc --rojo ${COMPILE_PROJECT}, exit ${run.status ?? run.error}):\n${printed}`,
				};
			}
		}
		const tree = buildTree(join(root, project));
		return { ok: true, tree, compileSeconds };
	});
}
