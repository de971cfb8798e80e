// One emulated Roblox server: a luau-web state running the engine (emulator/engine/*.luau) over a
// DataModel tree. The host gives the engine four functions: compile Luau, write output, read the real
// clock, set a real global. Everything else happens inside Luau, in one call per job.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { LuauState } from "luau-web";
import { ENGINE_LOADER_LUAU } from "./engineLoader.js";

const engineDir = join(dirname(fileURLToPath(import.meta.url)), "..", "engine");
const engineSources = new Map();

function engineSource(name) {
	if (!/^[A-Za-z]+$/.test(name)) throw new Error(`bad engine module name ${name}`);
	if (!engineSources.has(name)) engineSources.set(name, readFileSync(join(engineDir, `${name}.luau`), "utf8"));
	return engineSources.get(name);
}

const BOOTSTRAP = `
local compileChunk, engineSourceOf = __hostCompile, __hostEngineSource
${ENGINE_LOADER_LUAU}
local Engine = newEngineLoader()("Engine")
local host = {
	compile = compileChunk,
	output = __hostOutput,
	wallClock = __hostWallClock,
	setGlobal = __hostSetGlobal,
	newEngineLoader = newEngineLoader,
}
return function(command, a, b)
	if command == "boot" then
		Engine.boot(host, a, b)
		return "ok"
	elseif command == "run" then
		return Engine.run()
	elseif command == "step" then
		return Engine.step(a)
	elseif command == "startScripts" then
		return Engine.runServerScripts()
	end
	error("unknown command " .. tostring(command))
end
`;

export class LuauServer {
	/**
	 * @param {object} tree the DataModel (InstanceNode JSON from buildTree)
	 * @param {object} options engine options (mode, seed, epoch, players, ...)
	 * @param {(kind: string, text: string) => void} output where print/warn/error lines go
	 */
	static async boot(tree, options, output) {
		const server = new LuauServer();
		server.output = output;
		const state = await LuauState.createAsync();
		server.state = state;
		state.env.set("__hostCompile", (source, chunkName) => state.loadstring(source, chunkName, false), true);
		state.env.set("__hostEngineSource", (name) => engineSource(name), true);
		state.env.set("__hostOutput", (kind, text) => output(kind, text), true);
		state.env.set("__hostWallClock", () => performance.now() / 1000, true);
		state.env.set("__hostSetGlobal", (name, value) => state.env.set(name, value, true), true);
		const bootstrap = state.loadstring(BOOTSTRAP, "=emulator/host/bootstrap", true);
		[server.dispatch] = await bootstrap();
		await server.dispatch("boot", JSON.stringify(tree), JSON.stringify(options));
		return server;
	}

	/** Runs the job chosen by options.mode to its end; resolves to the engine's JSON result. */
	async run() {
		const [json] = await this.dispatch("run");
		return JSON.parse(json);
	}

	/** Starts the place's Server Scripts without running a job (for hosts that step servers themselves). */
	async startScripts() {
		const [count] = await this.dispatch("startScripts");
		return count;
	}

	/** Runs everything due up to virtual time `untilTime`; resolves to the next wake time or -1. */
	async step(untilTime) {
		const [next] = await this.dispatch("step", untilTime);
		return next;
	}
}
