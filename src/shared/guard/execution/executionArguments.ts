import { checkOptions, invalidArgument, OptionRule } from "../arguments/check";

/** The options of RunOnce / RunOnceAsync, checked by the toolkit's one checker (did-you-mean included). */
export const RUN_OPTIONS: ReadonlyMap<string, OptionRule> = new Map<string, OptionRule>([
	["timeout", "seconds"],
	["allowRerun", "boolean"],
	["cacheResult", "boolean"],
	["onTimeout", "function"],
	["join", "boolean"],
	["joinTimeout", "secondsOrZero"],
	["cancelOnTimeout", "boolean"],
]);

/** The options of printSummary / FormatSummary. */
export const SUMMARY_OPTIONS: ReadonlyMap<string, OptionRule> = new Map<string, OptionRule>([
	["key", "string"],
	["prefix", "string"],
	["limit", "count"],
]);

const CONFIG_OPTIONS = new Map<string, OptionRule>([
	["resultTtl", "seconds"],
	["maxRecords", "count"],
	["sampleWindow", "count"],
	// Checked in detail by crossServer/experienceConfig.ts.
	["scope", "any"],
	["experience", "any"],
]);

/**
 * Checks `ExecutionGuard.new(debug, config)`.
 *
 * @example
 * ```ts
 * checkConstructor(true, { resultTtl: 60, maxRecords: 1000 });
 * ```
 */
export function checkConstructor(debugMode: unknown, config: unknown) {
	if (!typeIs(debugMode, "boolean")) invalidArgument("ExecutionGuard.new", "debug", debugMode, "a boolean or nil");
	checkOptions("ExecutionGuard.new", config, CONFIG_OPTIONS, undefined, "config");
}
