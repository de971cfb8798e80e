// Runs a universe scenario (the engine's "universe" job) on a small place: `scenario` is the Luau body of
// `return function(universe) ... end`; `modules` and `scripts` are the place's ModuleScripts (under
// ReplicatedStorage) and Server Scripts. On every VM available: luau-web always, native when
// LUAU_BIN / PATH has one.
import { runServer } from "../../host/runServer.js";
import { findNativeLuau } from "../../host/findNativeLuau.js";

const luau = findNativeLuau();
export const VMS_HERE = luau.ok ? ["web", "native"] : ["web"];

export const moduleNode = (name, source) => ({ name, className: "ModuleScript", source, children: [] });
export const scriptNode = (name, source) => ({ name, className: "Script", source, children: [] });

export function universePlace(scenario, { modules = [], scripts = [] } = {}) {
	return {
		name: "UniversePlace",
		className: "DataModel",
		children: [
			{ name: "ServerScriptService", className: "ServerScriptService", children: scripts },
			{
				name: "ReplicatedStorage",
				className: "ReplicatedStorage",
				children: [moduleNode("Scenario", `return function(universe)\n${scenario}\nend`), ...modules],
			},
		],
	};
}

/**
 * @returns {Promise<{ result: object, lines: string[], text: string }>} lines are `kind: text`
 * @example const { result, lines } = await runScenario("print(#universe:servers())", { vm: "web" });
 */
export async function runScenario(scenario, { vm = "web", seed = 1, modules, scripts, options = {} } = {}) {
	const lines = [];
	const result = await runServer(
		universePlace(scenario, { modules, scripts }),
		{
			mode: "universe",
			scenarioModule: "ReplicatedStorage.Scenario",
			seed,
			vm,
			wallTimeout: 60,
			...(vm === "native" ? { luauBin: luau.path } : {}),
			...options,
		},
		(kind, text) => lines.push(`${kind}: ${text}`),
	);
	return { result, lines, text: lines.join("\n") };
}

/** The `print` lines only, without the kind. */
export const printed = (lines) => lines.filter((line) => line.startsWith("print: ")).map((line) => line.slice(7));
