/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard } from "shared/guard";

function recordCount(guard: ExecutionGuard) {
	return guard.GetAllRecords().size();
}

export = () => {
	describe("expiry (resultTtl)", () => {
		it("a completed record is removed resultTtl seconds after it finished, and the key runs again", () => {
			const guard = new ExecutionGuard(false, { resultTtl: 60 });
			guard.RunOnce("daily_reward_1_2026-01-01", () => "claimed");
			task.wait(59);
			expect(guard.HasResult("daily_reward_1_2026-01-01")).to.equal(true);
			task.wait(1.1);
			expect(guard.HasResult("daily_reward_1_2026-01-01")).to.equal(false);
			expect(guard.GetStatus("daily_reward_1_2026-01-01")).to.equal("Idle");
			expect(recordCount(guard)).to.equal(0);
			const [ran] = guard.RunOnce("daily_reward_1_2026-01-01", () => "claimed again");
			expect(ran).to.equal(true);
			expect(guard.GetAnalytics().global.removed).to.equal(1);
		});

		it("a running record is not expired; its TTL counts from when it finishes", () => {
			const guard = new ExecutionGuard(false, { resultTtl: 5 });
			guard.RunOnce("a", () => 1);
			task.spawn(() => guard.RunOnce("long", () => task.wait(20), { timeout: 60 }));
			task.wait(10);
			expect(guard.GetStatus("a")).to.equal("Idle");
			expect(guard.GetStatus("long")).to.equal("Running");
			task.wait(12);
			expect(guard.GetStatus("long")).to.equal("Completed");
			task.wait(5);
			expect(recordCount(guard)).to.equal(0);
		});

		it("a key run again is kept until the TTL of its latest finish", () => {
			const guard = new ExecutionGuard(false, { resultTtl: 10 });
			guard.RunOnce("k", () => 1);
			task.wait(8);
			guard.RunOnce("k", () => 2, { allowRerun: true });
			task.wait(8);
			expect(guard.GetResult("k")).to.equal(2);
			task.wait(2.1);
			expect(guard.HasResult("k")).to.equal(false);
		});
	});

	describe("eviction (maxRecords)", () => {
		it("past maxRecords the records that finished longest ago are removed first", () => {
			const guard = new ExecutionGuard(false, { maxRecords: 3 });
			for (const key of ["k1", "k2", "k3", "k4", "k5"]) guard.RunOnce(key, () => key);
			const records = guard.GetAllRecords();
			expect(records.size()).to.equal(3);
			expect(records.has("k1")).to.equal(false);
			expect(records.has("k2")).to.equal(false);
			expect(guard.GetResult("k5")).to.equal("k5");
		});

		it("records evicted by the cap are counted in GetAnalytics().global.removed", () => {
			const guard = new ExecutionGuard(false, { maxRecords: 3 });
			for (const key of ["k1", "k2", "k3", "k4", "k5"]) guard.RunOnce(key, () => key);
			expect(guard.GetAllRecords().size()).to.equal(3);
			expect(guard.GetAnalytics().global.removed).to.equal(2);
			expect(guard.FormatSummary().find("2 removed", 1, true)[0] !== undefined).to.equal(true);
		});

		it("evictions, expiry and ClearPrefix add up in one removed count", () => {
			const guard = new ExecutionGuard(false, { maxRecords: 2, resultTtl: 10 });
			for (const key of ["a1", "a2", "a3"]) guard.RunOnce(key, () => key);
			expect(guard.GetAnalytics().global.removed).to.equal(1);
			expect(guard.ClearPrefix("a3")).to.equal(1);
			expect(guard.GetAnalytics().global.removed).to.equal(2);
			task.wait(10.1);
			expect(guard.GetAllRecords().size()).to.equal(0);
			expect(guard.GetAnalytics().global.removed).to.equal(3);
		});

		it("running records are never evicted, even past the cap", () => {
			const guard = new ExecutionGuard(false, { maxRecords: 2 });
			for (const key of ["r1", "r2", "r3", "r4"]) task.spawn(() => guard.RunOnce(key, () => task.wait(1)));
			expect(recordCount(guard)).to.equal(4);
			for (const key of ["r1", "r2", "r3", "r4"]) expect(guard.GetStatus(key)).to.equal("Running");
			task.wait(1.1);
			expect(recordCount(guard)).to.equal(2);
		});
	});

	describe("prefix removal", () => {
		it("after mass removal rebuilds the record map, RunOnce still finds the kept records", () => {
			const guard = new ExecutionGuard();
			for (let i = 1; i <= 300; i++) guard.RunOnce(`gone_${i}`, () => i);
			guard.RunOnce("kept", () => "cached");
			expect(guard.ClearPrefix("gone_")).to.equal(300);
			expect(recordCount(guard)).to.equal(1);
			const [ran, cached] = guard.RunOnce("kept", () => "again");
			expect(ran).to.equal(false);
			expect(cached).to.equal("cached");
			const [ranRemoved, fresh] = guard.RunOnce("gone_1", () => "fresh");
			expect(ranRemoved).to.equal(true);
			expect(fresh).to.equal("fresh");
			expect(guard.RunOnce("gone_1", () => "third")[1]).to.equal("fresh");
		});

		it("after the map is rebuilt, a cached hit sees later removals and new results (no stale map)", () => {
			const guard = new ExecutionGuard();
			for (let i = 1; i <= 300; i++) guard.RunOnce(`gone_${i}`, () => i);
			guard.RunOnce("kept", () => "cached");
			guard.RunOnce("kept", () => "again"); // a hit before the rebuild
			expect(guard.ClearPrefix("gone_")).to.equal(300);
			expect(guard.RunOnce("kept", () => "again")[1]).to.equal("cached");
			expect(guard.ClearPrefix("kept")).to.equal(1);
			const [ran, value] = guard.RunOnce("kept", () => "after removal");
			expect(ran).to.equal(true);
			expect(value).to.equal("after removal");
			guard.RunOnce("kept", () => "hit");
			expect(guard.RunOnce("kept", () => "hit")[1]).to.equal("after removal");
			expect(guard.GetAnalytics().keys.get("kept")?.cacheHits).to.equal(2);
		});

		it("ClearPrefix removes every finished record of the prefix and keeps others and running ones", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("daily_reward_42_2026-01-01", () => 1);
			guard.RunOnce("daily_reward_42_2026-01-02", () => 2);
			guard.RunOnce("daily_reward_420_2026-01-01", () => 3);
			guard.RunOnce("old_daily_reward_42_2026-01-01", () => 4);
			task.spawn(() => guard.RunOnce("daily_reward_42_2026-01-03", () => task.wait(1)));
			guard.RunOnce("daily_reward_42_2026-01-01", () => 1); // a cache hit on a key about to go
			expect(guard.ClearPrefix("daily_reward_42_")).to.equal(2);
			// Global counts keep what removed records did.
			expect(guard.GetAnalytics().global.cacheHits).to.equal(1);
			expect(guard.GetAnalytics().global.removed).to.equal(2);
			const records = guard.GetAllRecords();
			expect(records.has("daily_reward_42_2026-01-01")).to.equal(false);
			expect(records.has("daily_reward_42_2026-01-02")).to.equal(false);
			expect(records.has("daily_reward_420_2026-01-01")).to.equal(true);
			expect(records.has("old_daily_reward_42_2026-01-01")).to.equal(true);
			expect(guard.GetStatus("daily_reward_42_2026-01-03")).to.equal("Running");
			task.wait(1.1);
		});
	});

	describe("totals over removed keys", () => {
		it("totalExecutions keeps the runs of keys removed by the cap, the TTL and ClearPrefix", () => {
			const guard = new ExecutionGuard(false, { maxRecords: 2, resultTtl: 60 });
			for (let i = 1; i <= 5; i++) guard.RunOnce(`capped_${i}`, () => i);
			expect(recordCount(guard)).to.equal(2);
			expect(guard.GetAnalytics().global.totalExecutions).to.equal(5);
			guard.RunOnce("rerun", () => 1);
			guard.RunOnce("rerun", () => 2, { allowRerun: true });
			expect(guard.GetAnalytics().global.totalExecutions).to.equal(7);
			expect(guard.ClearPrefix("capped_")).to.equal(1);
			task.wait(61);
			expect(recordCount(guard)).to.equal(0);
			expect(guard.GetAnalytics().global.totalExecutions).to.equal(7);
			guard.RunOnce("after", () => 3);
			expect(guard.ClearPrefix("after")).to.equal(1);
			expect(guard.GetAnalytics().global.totalExecutions).to.equal(8);
			expect(guard.GetAnalytics().global.removed).to.equal(7);
		});
	});
};
