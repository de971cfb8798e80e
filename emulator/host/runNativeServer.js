// Runs one emulated server job on the official native Luau CLI (the VM Roblox runs), with the same
// options, output callback and result as the luau-web runner. The child gets one generated file
// (nativeProgram.js) and talks back only through stdout lines, each starting with PROTOCOL_MARK:
//   <mark>out <kind> <text>   an output line (print/warn/error/info), streamed to onOutput
//   <mark>result <json>       the engine's result (the same JSON as luau-web's)
//   <mark>crash <text>        an error escaped the engine itself
// Texts are escaped (control bytes and `\` as `\hh`), so a multi-line text is one protocol line.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { findNativeLuau } from "./findNativeLuau.js";
import { buildNativeProgram, PROTOCOL_MARK, unescapeLine } from "./nativeProgram.js";

const STDERR_KEPT = 4000;

/**
 * @param {object} tree DataModel InstanceNode (from buildTree)
 * @param {object} options engine options as runServer takes them, plus (native only)
 *   `optimize` (0, 1 or 2: the CLI's -O level for every chunk, default 1) and
 *   `luauBin` (the binary; default LUAU_BIN, else `luau` on PATH)
 * @param {(kind: string, text: string) => void} onOutput
 * @returns {Promise<{ok: boolean, failures: string[], [key: string]: any}>}
 * @example
 *   const result = await runNativeServer(tree, { mode: "test", optimize: 2 }, printLine);
 */
export function runNativeServer(tree, options, onOutput) {
	const optimize = options.optimize ?? 1;
	if (![0, 1, 2].includes(optimize)) {
		return Promise.resolve({ ok: false, failures: [`optimize must be 0, 1 or 2 (the luau CLI's -O level), got ${optimize}`] });
	}
	const luau = options.luauBin ? { ok: true, path: options.luauBin } : findNativeLuau();
	if (!luau.ok) return Promise.resolve({ ok: false, failures: [luau.message] });

	const wallTimeout = options.wallTimeout ?? 120;
	const killAfter = wallTimeout + (options.killGrace ?? 10);
	const { optimize: _o, luauBin: _b, vm: _v, ...engineOptions } = options;
	const dir = mkdtempSync(join(tmpdir(), "eg-native-"));
	const file = join(dir, "server.luau");
	writeFileSync(file, buildNativeProgram(tree, engineOptions));

	return new Promise((resolve) => {
		const child = spawn(luau.path, [`-O${optimize}`, file], { stdio: ["ignore", "pipe", "pipe"] });
		let result = null;
		let crash = null;
		let killedBy = null;
		let stderr = "";
		let pending = "";

		const onLine = (line) => {
			if (!line.startsWith(PROTOCOL_MARK)) {
				// nothing in the engine prints past the protocol; show a stray line rather than lose it
				if (line !== "") onOutput("print", line);
				return;
			}
			const space = line.indexOf(" ");
			const type = line.slice(1, space);
			const text = unescapeLine(line.slice(space + 1));
			if (type === "out") {
				const kindEnd = text.indexOf(" ");
				onOutput(text.slice(0, kindEnd), text.slice(kindEnd + 1));
			} else if (type === "result") result = JSON.parse(text);
			else if (type === "crash") crash = text;
		};
		child.stdout.setEncoding("utf8");
		child.stdout.on("data", (chunk) => {
			const lines = (pending + chunk).split("\n");
			pending = lines.pop();
			for (const line of lines) onLine(line);
		});
		child.stderr.setEncoding("utf8");
		child.stderr.on("data", (chunk) => {
			stderr = (stderr + chunk).slice(-STDERR_KEPT);
		});

		// The engine checks the wall clock itself while it schedules; this catches a loop that never yields.
		const killer = setTimeout(() => {
			killedBy = "watchdog";
			child.kill("SIGKILL");
		}, killAfter * 1000);

		let settled = false;
		const finish = (outcome) => {
			if (settled) return;
			settled = true;
			clearTimeout(killer);
			rmSync(dir, { recursive: true, force: true });
			resolve(outcome);
		};
		child.on("error", (error) => {
			finish({ ok: false, failures: [`could not start native Luau ${luau.path}: ${error.message}`] });
		});
		child.on("close", (code, signal) => {
			if (pending !== "") onLine(pending);
			if (killedBy === "watchdog") {
				finish({
					ok: false,
					failures: [
						`wall-time watchdog: the server ran more than ${killAfter} s of real time without returning ` +
							`(a Luau loop that never yields?); it was stopped`,
					],
				});
			} else if (result !== null) finish(result);
			else if (crash !== null) finish({ ok: false, failures: [`the emulator crashed: ${crash}`] });
			else {
				const how = signal ? `signal ${signal}` : `code ${code}`;
				const said = stderr.trim() ? `: ${stderr.trim()}` : "";
				finish({ ok: false, failures: [`native Luau exited (${how}) before finishing${said}`] });
			}
		});
	});
}
