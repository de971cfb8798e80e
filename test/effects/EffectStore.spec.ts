/// <reference types="@rbxts/testez/globals" />
// EffectStore on the emulator's real DataStoreService (universe servers, fresh cloud per test).
import { GuardErrorKind } from "shared/guard";
import { counting, newWorld, peek } from "./effectsWorld";

interface Counter {
	total: number;
}

const add = (data: Counter | undefined, payload: { amount: number }): Counter => ({
	total: (data?.total ?? 0) + payload.amount,
});

/** A universe server's GuardError is another copy of the class: compare its kind, not its class. */
function isKind(err: unknown, kind: GuardErrorKind) {
	return typeIs(err, "table") && (err as { kind?: unknown }).kind === kind;
}

/** Server A's `Instance` (a body's own `Instance` is the spec's). */
function instanceOf(g: EmulatorServerGlobals) {
	return (g as unknown as { Instance: typeof Instance }).Instance;
}

function storedTotal(universe: EmulatorUniverse, name: string, key: string) {
	const value = peek(universe, name, key) as { data?: Counter } | undefined;
	return value?.data?.total;
}

export = () => {
	describe("EffectStore: exactly-once DataStore effects", () => {
		it("the happy path costs one UpdateAsync, records the op, adopts an older value and keeps user ids and metadata", () => {
			const { universe, servers } = newWorld(101);
			const [{ server, guard }] = servers;
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const options = new (instanceOf(g))("DataStoreSetOptions");
				options.SetMetadata({ tag: "kept" });
				dataStore.SetAsync("k", { total: 5 }, [7], options); // written before it used an EffectStore
				const [store, counts] = counting(dataStore);
				const effects = new guard.EffectStore({ dataStore: store });
				const [result] = effects.Apply("k", "op-1", { amount: 10 }, add);
				const noCache = new (instanceOf(g))("DataStoreGetOptions");
				noCache.UseCache = false;
				const [, info] = dataStore.GetAsync("k", noCache);
				return {
					result,
					counts,
					userIds: info!.GetUserIds(),
					metadata: info!.GetMetadata() as { tag?: string },
				};
			});
			expect(outcome.result!.applied).to.equal(true);
			expect(outcome.result!.verified).to.equal(false);
			expect(outcome.result!.attempts).to.equal(1);
			expect((outcome.result!.data as Counter).total).to.equal(15);
			expect(outcome.counts.UpdateAsync).to.equal(1);
			expect(outcome.counts.GetAsync).to.equal(0);
			expect(storedTotal(universe, "Ledger", "k")).to.equal(15);
			expect(outcome.userIds.join(",")).to.equal("7");
			expect(outcome.metadata.tag).to.equal("kept");
			universe.close();
		});

		it("the same op again writes nothing: one UpdateAsync, applied false, the version unchanged", () => {
			const { universe, servers } = newWorld(102);
			const [{ server, guard }] = servers;
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const [store, counts] = counting(dataStore);
				const effects = new guard.EffectStore({ dataStore: store });
				const [first] = effects.Apply("k", "op-1", { amount: 10 }, add);
				const [second] = effects.Apply("k", "op-1", { amount: 10 }, add);
				return { first, second, counts };
			});
			expect(outcome.first!.applied).to.equal(true);
			expect(outcome.second!.applied).to.equal(false);
			expect((outcome.second!.data as Counter).total).to.equal(10);
			expect(outcome.counts.UpdateAsync).to.equal(2);
			expect(outcome.second!.keyInfo).to.equal(undefined); // cancelled transform: nothing written
			expect(storedTotal(universe, "Ledger", "k")).to.equal(10);
			universe.close();
		});

		it("a write that reported an error but landed applies once: one UseCache=false read finds it, no second write", () => {
			const { universe, servers } = newWorld(103);
			const [{ server, guard }] = servers;
			universe.cloud.faults.configure({ service: "DataStore", kind: "UpdateAsync", landedErrorRate: 1 });
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const [store, counts] = counting(dataStore);
				const effects = new guard.EffectStore({ dataStore: store, baseDelay: 0.1 });
				const [result, err] = effects.Apply("k", "op-1", { amount: 10 }, add);
				return { result, err, counts };
			});
			expect(outcome.err).to.equal(undefined);
			expect(outcome.result!.applied).to.equal(true); // this call's landed write did it
			expect(outcome.result!.verified).to.equal(true);
			expect(outcome.counts.UpdateAsync).to.equal(1);
			expect(outcome.counts.GetAsync).to.equal(1);
			expect(storedTotal(universe, "Ledger", "k")).to.equal(10);
			universe.close();
		});

		it("errors before the write are retried with backoff; every op still applies exactly once", () => {
			const { universe, servers } = newWorld(104);
			const [{ server, guard }] = servers;
			universe.cloud.faults.configure({ service: "DataStore", kind: "UpdateAsync", errorRate: 0.5 });
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const effects = new guard.EffectStore({ dataStore, baseDelay: 0.1, retries: 10 });
				let retried = 0;
				let applied = 0;
				for (let index = 1; index <= 20; index++) {
					const [result] = effects.Apply("k", `op-${index}`, { amount: 1 }, add);
					if (result!.attempts > 1) retried += 1;
					if (result!.applied) applied += 1;
					// the same op again, as a client retry would: never a second time
					effects.Apply("k", `op-${index}`, { amount: 1 }, add);
				}
				return { retried, applied };
			});
			expect(outcome.retried > 0).to.equal(true);
			expect(outcome.applied).to.equal(20);
			expect(storedTotal(universe, "Ledger", "k")).to.equal(20);
			universe.close();
		});

		it("two servers applying the same op ids, racing, apply each once and exactly one call is told it applied", () => {
			const { universe, servers } = newWorld(105, 2);
			universe.cloud.faults.configure({ service: "DataStore", latency: { min: 0, max: 0.3 } });
			const appliedBy = new Map<string, number>();
			let finished = 0;
			for (const { server, guard } of servers) {
				for (let thread = 0; thread < 3; thread++) {
					server.spawn((g) => {
						const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
						const effects = new guard.EffectStore({ dataStore });
						for (let index = 1; index <= 10; index++) {
							const opId = `op-${index}`;
							const [result] = effects.Apply("k", opId, { amount: 1 }, add);
							if (result!.applied) appliedBy.set(opId, (appliedBy.get(opId) ?? 0) + 1);
						}
						finished += 1;
					});
				}
			}
			while (finished < 6) universe.advance(1);
			expect(storedTotal(universe, "Ledger", "k")).to.equal(10);
			for (let index = 1; index <= 10; index++) expect(appliedBy.get(`op-${index}`)).to.equal(1);
			universe.close();
		});

		it("the same op id with another payload is refused (IdempotencyConflict) and writes nothing; key order does not matter", () => {
			const { universe, servers } = newWorld(106);
			const [{ server, guard }] = servers;
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const effects = new guard.EffectStore({ dataStore });
				const change = (data: Counter | undefined, payload: { amount: number; note: string }) => ({
					total: (data?.total ?? 0) + payload.amount,
				});
				effects.Apply("k", "op-1", { amount: 10, note: "a" }, change);
				const [same] = effects.Apply("k", "op-1", { note: "a", amount: 10 }, change);
				const [refused, err] = effects.Apply("k", "op-1", { amount: 99, note: "a" }, change);
				return { same, refused, err };
			});
			expect(outcome.same!.applied).to.equal(false);
			expect(outcome.refused).to.equal(undefined);
			expect(isKind(outcome.err, "IdempotencyConflict")).to.equal(true);
			expect(outcome.err!.details.opId).to.equal("op-1");
			expect(storedTotal(universe, "Ledger", "k")).to.equal(10);
			universe.close();
		});

		it("a write with a fencing token below the highest seen is refused (StaleToken); equal and higher pass", () => {
			const { universe, servers } = newWorld(107);
			const [{ server, guard }] = servers;
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const effects = new guard.EffectStore({ dataStore });
				const fenced = (opId: string, token: number) =>
					effects.Apply("season", opId, { amount: 1 }, add, { fence: { name: "SeasonJob", token } });
				const [newHolder] = fenced("a", 5);
				const [sameHolder] = fenced("b", 5);
				const [stale, err] = fenced("c", 4);
				const [higher] = fenced("d", 6);
				const [stillStale, err2] = fenced("e", 5);
				const [snapshot] = effects.Read<Counter>("season");
				return { newHolder, sameHolder, stale, err, higher, stillStale, err2, snapshot };
			});
			expect(outcome.newHolder!.applied).to.equal(true);
			expect(outcome.sameHolder!.applied).to.equal(true);
			expect(outcome.stale).to.equal(undefined);
			expect(isKind(outcome.err, "StaleToken")).to.equal(true);
			expect(outcome.err!.details.highest).to.equal(5);
			expect(outcome.higher!.applied).to.equal(true);
			expect(isKind(outcome.err2, "StaleToken")).to.equal(true);
			expect(outcome.snapshot!.data!.total).to.equal(3);
			expect(outcome.snapshot!.fences.SeasonJob).to.equal(6);
			expect(outcome.snapshot!.opIds.join(",")).to.equal("a,b,d");
			universe.close();
		});

		it("the history keeps the last historySize op ids: an op older than that applies again if retried (documented)", () => {
			const { universe, servers } = newWorld(108);
			const [{ server, guard }] = servers;
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const effects = new guard.EffectStore({ dataStore, historySize: 3 });
				for (const opId of ["a", "b", "c", "d"]) effects.Apply("k", opId, { amount: 1 }, add);
				const [snapshot] = effects.Read<Counter>("k");
				const [recent] = effects.Apply("k", "b", { amount: 1 }, add);
				const [tooOld] = effects.Apply("k", "a", { amount: 1 }, add);
				return { snapshot, recent, tooOld };
			});
			expect(outcome.snapshot!.opIds.join(",")).to.equal("b,c,d");
			expect(outcome.snapshot!.appliedCount).to.equal(4);
			expect(outcome.recent!.applied).to.equal(false);
			expect(outcome.tooOld!.applied).to.equal(true);
			expect(storedTotal(universe, "Ledger", "k")).to.equal(5);
			universe.close();
		});

		it("a change that throws, returns nil or yields writes nothing and gets ExecutionFailed, not retried", () => {
			const { universe, servers } = newWorld(109);
			const [{ server, guard }] = servers;
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const [store, counts] = counting(dataStore);
				const effects = new guard.EffectStore({ dataStore: store });
				const [, threw] = effects.Apply("k", "a", 1, () => error("boom"));
				const [, gaveNil] = effects.Apply("k", "b", 1, () => undefined as unknown as Counter);
				const [, yielded] = effects.Apply("k", "c", 1, () => {
					g.task.wait(1);
					return { total: 1 };
				});
				return { threw, gaveNil, yielded, counts };
			});
			for (const err of [outcome.threw, outcome.gaveNil, outcome.yielded]) {
				expect(isKind(err, "ExecutionFailed")).to.equal(true);
			}
			expect(outcome.yielded!.message.find("must not yield")[0] !== undefined).to.equal(true);
			expect(outcome.counts.UpdateAsync).to.equal(3);
			expect(peek(universe, "Ledger", "k")).to.equal(undefined);
			universe.close();
		});

		it("when retries are spent, StoreFailed says a fresh read found it not applied; a later Apply with the same op id applies it once", () => {
			const { universe, servers } = newWorld(110);
			const [{ server, guard }] = servers;
			universe.cloud.faults.configure({ service: "DataStore", kind: "UpdateAsync", errorRate: 1 });
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const [store, counts] = counting(dataStore);
				const effects = new guard.EffectStore({ dataStore: store, retries: 2, baseDelay: 0.1 });
				const [, err] = effects.Apply("k", "a", { amount: 3 }, add);
				return { err, counts: { ...counts } };
			});
			expect(isKind(outcome.err, "StoreFailed")).to.equal(true);
			expect(outcome.err!.details.applied).to.equal(false);
			expect(outcome.err!.details.attempts).to.equal(3);
			expect(outcome.counts.UpdateAsync).to.equal(3);
			expect(outcome.counts.GetAsync).to.equal(3); // one verifying read after each error
			universe.cloud.faults.clear();
			const later = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Ledger");
				const effects = new guard.EffectStore({ dataStore });
				const [first] = effects.Apply("k", "a", { amount: 3 }, add);
				const [again] = effects.Apply("k", "a", { amount: 3 }, add);
				return [first!.applied, again!.applied];
			});
			expect(later.join(",")).to.equal("true,false");
			expect(storedTotal(universe, "Ledger", "k")).to.equal(3);
			universe.close();
		});
	});
};
