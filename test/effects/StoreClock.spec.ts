/// <reference types="@rbxts/testez/globals" />
// StoreClock: the DataStore's clock read on servers whose os.time() is skewed.
import { counting, newWorld } from "./effectsWorld";

export = () => {
	describe("StoreClock", () => {
		it("servers skewed by -120 s and +300 s read the store's clock within the uncertainty, not their own", () => {
			const { universe, servers } = newWorld(401, 2, [-120, 300]);
			const readings = servers.map(({ server, guard }) =>
				server.run((g) => {
					const dataStore = g.game.GetService("DataStoreService").GetDataStore("Clock");
					const clock = new guard.StoreClock({ dataStore });
					expect(clock.Now()).to.equal(undefined);
					expect(clock.Calibrate()).to.equal(true);
					return { now: clock.Now()!, osTime: g.os.time(), uncertainty: clock.GetUncertainty() };
				}),
			);
			const storeNow = universe.cloud.clock();
			for (const reading of readings) {
				expect(reading.uncertainty < 0.5).to.equal(true);
				expect(math.abs(reading.now - storeNow) <= reading.uncertainty + 0.02).to.equal(true);
			}
			expect(readings[1].osTime - readings[0].osTime >= 419).to.equal(true); // their own clocks disagree
			universe.close();
		});

		it("callers racing the first calibration share one write, and a later Observe keeps only a tighter sample", () => {
			const { universe, servers } = newWorld(402);
			const [{ server, guard }] = servers;
			universe.cloud.faults.configure({ service: "DataStore", latency: { min: 0.5, max: 0.5 } });
			const outcome = server.run((g) => {
				const dataStore = g.game.GetService("DataStoreService").GetDataStore("Clock");
				const [store, counts] = counting(dataStore);
				const clock = new guard.StoreClock({ dataStore: store as never });
				const days = new Array<number>();
				for (let index = 0; index < 5; index++) g.task.spawn(() => days.push(clock.Today()!));
				g.task.wait(2);
				const loose = clock.GetUncertainty();
				clock.Observe(undefined, 0, 1); // no keyInfo: ignored
				return { days, updates: counts.UpdateAsync, loose, after: clock.GetUncertainty() };
			});
			expect(outcome.days.size()).to.equal(5);
			expect(outcome.updates).to.equal(1);
			const today = math.floor(universe.cloud.clock() / 86400);
			for (const day of outcome.days) expect(day).to.equal(today);
			expect(outcome.loose >= 0.25).to.equal(true); // half of the 0.55 s round trip
			expect(outcome.after).to.equal(outcome.loose);
			universe.close();
		});
	});
};
