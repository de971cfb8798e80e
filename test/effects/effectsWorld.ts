import * as Guard from "shared/guard";
import { EffectDataStore } from "shared/guard";

/** A server's own copy of the library (each universe server requires its own). */
export type GuardModule = typeof Guard;

/** How many of each DataStore call an EffectStore made through a counting proxy. */
export interface CallCounts {
	UpdateAsync: number;
	GetAsync: number;
}

/**
 * A DataStore wrapped to count the calls an EffectStore makes (the bench and the cost specs read it).
 *
 * @example
 * ```ts
 * const [store, counts] = counting(dataStore);
 * ```
 */
export function counting(dataStore: GlobalDataStore): [EffectDataStore, CallCounts] {
	const counts: CallCounts = { UpdateAsync: 0, GetAsync: 0 };
	const real = dataStore as unknown as EffectDataStore;
	const proxy: EffectDataStore = {
		UpdateAsync(key, transform) {
			counts.UpdateAsync += 1;
			return real.UpdateAsync(key, transform);
		},
		GetAsync(key, options) {
			counts.GetAsync += 1;
			return real.GetAsync(key, options);
		},
	};
	return [proxy, counts];
}

/**
 * A fresh universe with `count` servers, each with its copy of the library.
 *
 * @example
 * ```ts
 * const { universe, servers } = newWorld(3, 2);
 * ```
 */
export function newWorld(seed: number, count = 1, skews: number[] = []) {
	const universe = Universe.new({ seed });
	const servers = new Array<{ server: EmulatorServer; guard: GuardModule }>();
	for (let index = 0; index < count; index++) {
		const server = universe.startServer({ name: `S${index + 1}`, osTimeSkew: skews[index] ?? 0 });
		servers.push({ server, guard: server.require("ReplicatedStorage.Shared.guard") as GuardModule });
	}
	return { universe, servers };
}

/** The stored value, read from the backend (no budget, cache or latency). */
export function peek(universe: EmulatorUniverse, name: string, key: string, scope?: string): unknown {
	const backend = universe.cloud.backend("DataStore", undefined as never) as {
		peek(name: string, scope: string | undefined, key: string): unknown;
	};
	return backend.peek(name, scope, key);
}
