// Runs one emulated server in a worker thread, so the parent can stop it when a Luau loop never yields
// (nothing inside Luau can interrupt such a loop: see offline-runtime-facts, quirk 10).
import { parentPort, workerData } from "node:worker_threads";
import { LuauServer } from "./LuauServer.js";

const { tree, options } = workerData;
try {
	const server = await LuauServer.boot(tree, options, (kind, text) => parentPort.postMessage({ type: "output", kind, text }));
	const result = await server.run();
	parentPort.postMessage({ type: "result", result });
} catch (error) {
	parentPort.postMessage({ type: "crash", message: String(error && error.stack ? error.stack : error) });
}
