// Runs one emulated server job (test, start, bench, script) with a wall-time watchdog, streaming its
// output lines to `onOutput`: on luau-web in a worker thread (the default, `vm: "web"`), or on the
// official native Luau CLI in a child process (`vm: "native"`, see runNativeServer.js).
import { Worker } from "node:worker_threads";
import { runNativeServer } from "./runNativeServer.js";

export { runNativeServer };
export const VMS = ["web", "native"];

const workerUrl = new URL("./serverWorker.js", import.meta.url);

/**
 * @param {object} tree DataModel InstanceNode (from buildTree)
 * @param {object} options engine options; options.wallTimeout (s) bounds the real time;
 *   options.vm is "web" (default) or "native" (then options.optimize 0|1|2 and options.luauBin apply)
 * @param {(kind: string, text: string) => void} onOutput
 * @returns {Promise<{ok: boolean, failures: string[], [key: string]: any}>}
 * @example
 *   const result = await runServer(tree, { mode: "test", vm: "native", optimize: 2 }, printLine);
 */
export function runServer(tree, options, onOutput) {
	const vm = options.vm ?? "web";
	if (vm === "native") return runNativeServer(tree, options, onOutput);
	if (vm !== "web") return Promise.resolve({ ok: false, failures: [`unknown vm ${vm} (known: ${VMS.join(", ")})`] });
	return runWebServer(tree, options, onOutput);
}

/**
 * The failure line for a crashed luau-web worker. Running out of luau-web's fixed heap aborts the WASM
 * build with emscripten's "Cannot enlarge memory arrays" text, which names compiler flags a user cannot
 * set: say what ran out and what to do instead, with the VM's own words after it.
 *
 * @example
 *   crashFailure("RuntimeError: Aborted(Cannot enlarge memory arrays to size 18432000 bytes (OOM)...")
 *   // "luau-web ran out of its fixed ~16 MiB heap (it had to grow to 17.6 MiB, ...): run it on native Luau ..."
 */
export function crashFailure(message) {
	const oom = /Cannot enlarge memory arrays to size (\d+) bytes/.exec(message);
	if (oom === null) return `the emulator crashed: ${message}`;
	const grownMiB = (Number(oom[1]) / 1048576).toFixed(1);
	return (
		`luau-web ran out of its fixed ~16 MiB heap (it had to grow to ${grownMiB} MiB, and the WASM build cannot): ` +
		`run it on native Luau (--vm native, with LUAU_BIN or luau on PATH), which has no such cap, or make the ` +
		`run smaller (fewer servers, players, minutes or objects held at once). The VM said: ${oom[0]} (OOM)`
	);
}

function runWebServer(tree, options, onOutput) {
	const wallTimeout = options.wallTimeout ?? 120;
	// the engine's own check needs the loop to reach the scheduler; past this grace the worker is killed
	const killAfter = wallTimeout + (options.killGrace ?? 10);
	return new Promise((resolve) => {
		const worker = new Worker(workerUrl, { workerData: { tree, options }, stdout: false, stderr: false });
		let settled = false;
		const settle = (result) => {
			if (settled) return;
			settled = true;
			clearTimeout(killer);
			resolve(result);
			worker.terminate();
		};
		// The engine checks the wall clock itself while it schedules; this catches a loop that never yields.
		const killer = setTimeout(() => {
			settle({
				ok: false,
				failures: [
					`wall-time watchdog: the server ran more than ${killAfter} s of real time without returning ` +
						`(a Luau loop that never yields?); it was stopped`,
				],
			});
		}, killAfter * 1000);
		worker.on("message", (message) => {
			if (message.type === "output") onOutput(message.kind, message.text);
			else if (message.type === "result") settle(message.result);
			else if (message.type === "crash") settle({ ok: false, failures: [crashFailure(message.message)] });
		});
		worker.on("error", (error) => settle({ ok: false, failures: [crashFailure(String(error.stack || error))] }));
		worker.on("exit", (code) => settle({ ok: false, failures: [`the emulator exited (code ${code}) before finishing`] }));
	});
}
