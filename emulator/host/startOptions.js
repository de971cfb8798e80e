// `npm start`'s command line: flags, their defaults, and the documented faults presets. Pure (no I/O),
// so emulator/test/runs/startOptions.test.js can pin every default and refusal.
//
//   const parsed = parseStartArgs(["--servers", "3", "--faults"]);
//   if (!parsed.ok) fail(parsed.message); else run(parsed.settings);

/**
 * Faults presets (`--faults [name]`, default `standard`): the rules given to the universe's
 * `cloud.faults:configure` (engine/Faults.luau), one per service; a rule without a kind covers every
 * call of that service.
 */
export const FAULT_PRESETS = {
	// store errors, writes that fail but land, latency jitter, lost and late messages
	standard: [
		{ service: "DataStore", errorRate: 0.1, landedErrorRate: 0.05, latency: { min: 0.02, max: 0.4 } },
		{ service: "MemoryStore", errorRate: 0.05, landedErrorRate: 0.02, latency: { min: 0.01, max: 0.15 } },
		{ service: "Messaging", dropRate: 0.1, delay: { min: 0, max: 2 } },
	],
	// the stress level: 20 % store errors
	harsh: [
		{ service: "DataStore", errorRate: 0.2, landedErrorRate: 0.1, latency: { min: 0.05, max: 1 } },
		{ service: "MemoryStore", errorRate: 0.2, landedErrorRate: 0.05, latency: { min: 0.01, max: 0.5 } },
		{ service: "Messaging", dropRate: 0.3, delay: { min: 0, max: 4 } },
	],
	none: [],
};

const NUMBER_FLAGS = {
	players: "players",
	duration: "duration",
	minutes: "minutes",
	seed: "seed",
	"join-at": "joinAt",
	servers: "servers",
	hops: "hopsPerPlayerMinute",
	"actions-per-minute": "actionsPerMinute",
	burst: "burst",
	crashes: "crashes",
	"restart-after": "restartAfter",
};
const KNOWN = "--players, --duration, --minutes, --seed, --join-at, --servers, --fresh, --vm, --faults [preset], " +
	"--json, --timeline FILE.html, --report PATH, --action PATH, --record PREFIX, --hops, --actions-per-minute, --burst, --crashes, --restart-after";

/**
 * @param {string[]} args process.argv.slice(2)
 * @param {string[]} vms the VMs runServer knows
 * @returns {{ ok: true, settings: object } | { ok: false, message: string }}
 */
export function parseStartArgs(args, vms = ["web", "native"]) {
	const given = {};
	const settings = { vm: "web", fresh: false, json: false, timeline: null, faults: null, report: null, actions: [], record: [] };
	for (let index = 0; index < args.length; index++) {
		const flag = args[index];
		const name = flag.replace(/^--/, "");
		const next = args[index + 1];
		if (name === "fresh" || name === "json") {
			settings[name] = true;
		} else if (name === "faults") {
			const preset = next !== undefined && !next.startsWith("--") ? args[++index] : "standard";
			if (!(preset in FAULT_PRESETS)) {
				return { ok: false, message: `--faults takes a preset (${Object.keys(FAULT_PRESETS).join(", ")}), got ${preset}` };
			}
			settings.faults = preset;
		} else if (name === "vm" || name === "timeline" || name === "report" || name === "action" || name === "record") {
			if (next === undefined || next.startsWith("--")) return { ok: false, message: `${flag} needs a value` };
			index++;
			if (name === "vm" && !vms.includes(next)) return { ok: false, message: `--vm needs one of ${vms.join(", ")}, got ${next}` };
			if (name === "action") settings.actions.push(next);
			else if (name === "record") settings.record.push(next);
			else settings[name] = next;
		} else if (name in NUMBER_FLAGS) {
			const value = Number(next);
			if (next === undefined || !Number.isFinite(value) || value < 0) {
				return { ok: false, message: `${flag} needs a number ≥ 0, got ${next}` };
			}
			index++;
			given[NUMBER_FLAGS[name]] = value;
		} else {
			return { ok: false, message: `unknown option ${flag} (known: ${KNOWN})` };
		}
	}
	const servers = given.servers ?? 1;
	if (!Number.isInteger(servers) || servers < 1) return { ok: false, message: `--servers needs a whole number ≥ 1, got ${servers}` };
	if (given.minutes !== undefined && given.duration !== undefined) {
		return { ok: false, message: "give --minutes or --duration (seconds), not both" };
	}
	const universe = servers > 1;
	// one server: exactly today's demo; a universe: the choreography, 30 players for 20 minutes
	settings.servers = servers;
	settings.players = given.players ?? (universe ? 30 : 6);
	settings.duration = given.duration ?? (given.minutes !== undefined ? given.minutes * 60 : universe ? 20 * 60 : 60);
	settings.seed = given.seed ?? 1;
	settings.joinAt = given.joinAt ?? 1;
	settings.universe = universe;
	if (!Number.isInteger(settings.players)) return { ok: false, message: `--players needs a whole number, got ${settings.players}` };
	if (!universe && (settings.faults || settings.json || settings.timeline)) {
		return { ok: false, message: "--faults, --json and --timeline need a universe: add --servers 2 (or more)" };
	}
	settings.choreography = {
		hopsPerPlayerMinute: given.hopsPerPlayerMinute ?? 0.2,
		crashes: given.crashes ?? Math.max(1, Math.floor(settings.duration / 300)),
		restartAfter: given.restartAfter ?? 10,
		actions: settings.actions.map((remote) => ({
			remote,
			perPlayerMinute: given.actionsPerMinute ?? 2,
			burst: given.burst ?? 3,
		})),
	};
	return { ok: true, settings };
}
