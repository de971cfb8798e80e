/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- the guide's Luau API returns two values, (success, result) */
import { checkFunction, checkKey, checkOptions, MAX_KEY_LENGTH } from "../arguments/check";
import { ExperienceRuns } from "./crossServer/ExperienceRuns";
import { RUN_OPTIONS } from "./executionArguments";
import { HandHeldKeys, RunEngine } from "./RunEngine";
import { ExecutionOptions } from "./types";

const RUN_ONCE = "ExecutionGuard.RunOnce";

/** A guard's RunOnce as its instance holds it: called as `guard:RunOnce(...)`, `caller` is `self`. */
export type RunOnceCall = (
	caller: unknown,
	key: string,
	fn: Callback,
	options?: ExecutionOptions,
) => LuaTuple<[boolean, unknown]>;

/** Never a function a caller passes: `checkedFn` starts as this, so a nil `fn` never matches it. */
const NO_FUNCTION_YET = {};

/**
 * Builds one guard's RunOnce as a closure over what every call reads (the engine, the record map,
 * the debug flag), so the cached hit reads upvalues instead of fields of the guard: on native Luau a
 * field read is a table lookup, and a field that is nil falls through to the class table. The guard
 * stores it on its instance, where `guard:RunOnce(...)` finds it before the class's method.
 *
 * A call whose `caller` is not this guard (a Luau `guard.RunOnce(key, fn)`, or another guard's
 * closure called with this one as self) goes to `otherCaller`, which raises the ':' error or
 * forwards the call.
 *
 * @example
 * ```ts
 * rawset(this, "RunOnce", createRunOnce(this, engine, experience, manualLocks, debugMode, runOnceOf));
 * ```
 */
export function createRunOnce(
	guard: object,
	engine: RunEngine,
	experience: ExperienceRuns | undefined,
	handHeld: HandHeldKeys,
	debugMode: boolean,
	otherCaller: RunOnceCall,
): RunOnceCall {
	const store = engine.store;
	// The store replaces its map when it rebuilds it after mass removal; follow it.
	let records = store.map;
	store.onMapReplaced = (map) => (records = map);
	// The last `fn` that passed the type test: a game calling RunOnce with the same function (a
	// module-level loader) skips `type(fn)` on every hit. A debug guard never remembers one, so its
	// hits all take `engine.hit`, which prints them.
	let checkedFn: unknown = NO_FUNCTION_YET;
	const decider = experience ?? engine;

	return (caller, key, fn, options) => {
		if (caller !== guard) return otherCaller(caller, key, fn, options);
		const record = records.get(key);
		if (record !== undefined) {
			// The cached hit, in as few reads as the checks allow: a known key, no options, a result,
			// the remembered fn (so it is a function) and the key's stats already made. engine.hit,
			// inlined; keep the two alike. Any other call takes the full path below.
			const cached = record.result;
			if (cached !== undefined && fn === checkedFn && options === undefined) {
				const stats = record.stats;
				if (stats !== undefined) {
					stats.cacheHits += 1;
					return $tuple(false, cached);
				}
			}
			// A stored record proves the key valid (records only exist for valid keys): no key check here.
			if (fn !== checkedFn) {
				if (!typeIs(fn, "function")) checkFunction(RUN_ONCE, "fn", fn, key);
				if (!debugMode) checkedFn = fn;
			}
			if (options !== undefined) {
				checkOptions(RUN_ONCE, options, RUN_OPTIONS, key);
				if (options.allowRerun === true) return decider.decide(key, fn, options, record);
			}
			// `result` holds a value only while the record is Completed.
			if (cached === undefined) return decider.decide(key, fn, options, record);
			return engine.hit(record, cached);
		}
		// checkKey's own test, inlined: the call was ~4% of a first run on native Luau -O2.
		if (!(typeIs(key, "string") && key.size() > 0 && key.size() <= MAX_KEY_LENGTH)) checkKey(RUN_ONCE, key);
		if (fn !== checkedFn) {
			if (!typeIs(fn, "function")) checkFunction(RUN_ONCE, "fn", fn, key);
			if (!debugMode) checkedFn = fn;
		}
		if (options !== undefined) checkOptions(RUN_ONCE, options, RUN_OPTIONS, key);
		// A new key on a server-scope guard whose keys were never taken by hand: nothing to refuse it
		// for, so straight to the start (decide's own first test, skipped).
		if (experience === undefined && !handHeld.everTaken) return engine.start(key, undefined, fn, options);
		return decider.decide(key, fn, options, undefined);
	};
}
