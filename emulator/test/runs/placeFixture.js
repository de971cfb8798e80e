// Makes a throw-away roblox-ts place beside the repository's own configuration (same package.json,
// tsconfig and project files, node_modules linked), with the spec files a test gives it.
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export function makePlace(files) {
	const root = mkdtempSync(join(tmpdir(), "eg-place-"));
	for (const name of ["package.json", "tsconfig.json", "default.project.json", "test.project.json"]) {
		cpSync(join(repoRoot, name), join(root, name));
	}
	symlinkSync(join(repoRoot, "node_modules"), join(root, "node_modules"), "dir");
	mkdirSync(join(root, "emulator", "test"), { recursive: true });
	const all = {
		"src/shared/answer.ts": "export const answer = 42;\n",
		"src/server/main.server.ts": 'print("fixture server");\n',
		...files,
	};
	for (const [path, text] of Object.entries(all)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), text);
	}
	return {
		root,
		runTests(...args) {
			const run = spawnSync(process.execPath, [join(repoRoot, "emulator", "cli", "test.js"), "--root", root, "--no-self-test", ...args], {
				encoding: "utf8",
				env: { ...process.env, NO_COLOR: "1" },
			});
			return { status: run.status, output: `${run.stdout}${run.stderr}` };
		},
		remove() {
			rmSync(root, { recursive: true, force: true });
		},
	};
}

export const SPEC_HEADER = '/// <reference types="@rbxts/testez/globals" />\nimport { answer } from "shared/answer";\n';
