/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard, GuardError } from "shared/guard";

export = () => {
	describe("RunOnceAsync", () => {
		it("resolves with the run's result, then with the cached one", () => {
			const guard = new ExecutionGuard();
			const [ok, value] = guard
				.RunOnceAsync("arena_init", () => {
					task.wait(1);
					return "arena";
				})
				.await();
			expect(ok).to.equal(true);
			expect(value).to.equal("arena");
			expect(guard.RunOnceAsync("arena_init", () => "other").expect()).to.equal("arena");
		});

		it("rejects with ExecutionFailed when fn errors and with AlreadyRunning when running or locked", () => {
			const guard = new ExecutionGuard();
			const [ok, err] = guard.RunOnceAsync("bad", () => error("broken")).await();
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "ExecutionFailed")).to.equal(true);
			task.spawn(() => guard.RunOnce("busy", () => task.wait(1)));
			const [ok2, err2] = guard.RunOnceAsync("busy", () => 1).await();
			expect(ok2).to.equal(false);
			expect(GuardError.is(err2, "AlreadyRunning")).to.equal(true);
			task.wait(1.1);
			expect(guard.AcquireLock("held")).to.equal(true);
			const [ok3, err3] = guard.RunOnceAsync("held", () => 1).await();
			expect(ok3).to.equal(false);
			expect(GuardError.is(err3, "AlreadyRunning")).to.equal(true);
		});

		it("promise.cancel() cancels the run it started: status Idle, fn stops, counted as cancelled", () => {
			const guard = new ExecutionGuard();
			let finished = false;
			const promise = guard.RunOnceAsync("download", () => {
				task.wait(5);
				finished = true;
			});
			task.wait(1);
			expect(guard.GetStatus("download")).to.equal("Running");
			promise.cancel();
			expect(guard.GetStatus("download")).to.equal("Idle");
			expect(guard.IsLocked("download")).to.equal(false);
			task.wait(6);
			expect(finished).to.equal(false);
			expect(guard.GetAnalytics().global.cancelled).to.equal(1);
		});

		it("cancelling a joined promise stops only its wait, not the run", () => {
			const guard = new ExecutionGuard();
			task.spawn(() => guard.RunOnce("shared", () => task.wait(3)));
			const joined = guard.RunOnceAsync("shared", () => 1, { join: true });
			task.wait(1);
			joined.cancel();
			expect(guard.GetStatus("shared")).to.equal("Running");
			task.wait(2.1);
			expect(guard.GetStatus("shared")).to.equal("Completed");
		});
	});

	describe("analytics", () => {
		it("counts runs, cache hits, blocked, failures and timeouts globally and per key", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("a", () => 1);
			guard.RunOnce("a", () => 1);
			guard.RunOnce("a", () => 1);
			guard.RunOnce("f", () => error("x"));
			guard.RunOnce("t", () => task.wait(5), { timeout: 1 });
			task.spawn(() => guard.RunOnce("b", () => task.wait(1)));
			guard.RunOnce("b", () => 1);
			const analytics = guard.GetAnalytics();
			expect(analytics.global.totalExecutions).to.equal(4);
			expect(analytics.global.cacheHits).to.equal(2);
			// Every call that did not run fn: 2 cache hits + 1 refused while running.
			expect(analytics.global.blockedExecutions).to.equal(3);
			expect(analytics.global.refused).to.equal(1);
			expect(analytics.global.failed).to.equal(1);
			expect(analytics.global.timedOut).to.equal(1);
			expect(analytics.keys.get("a")!.cacheHits).to.equal(2);
			expect(analytics.keys.get("b")!.blocked).to.equal(1);
			expect(analytics.keys.get("b")!.refused).to.equal(1);
			expect(analytics.keys.get("a")!.blocked).to.equal(2);
			expect(analytics.keys.get("t")!.timedOut).to.equal(1);
			task.wait(1.1);
		});

		it("blockedExecutions counts every call that did not run fn: cache hits, refusals and joins", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("done", () => "cached");
			guard.RunOnce("done", () => 0); // cache hit
			guard.RunOnce("secret", () => "x", { cacheResult: false });
			guard.RunOnce("secret", () => 0); // completed, nothing cached: refused
			task.spawn(() => guard.RunOnce("busy", () => task.wait(1)));
			guard.RunOnce("busy", () => 0); // running: refused
			task.spawn(() => guard.RunOnce("busy", () => 0, { join: true })); // joined
			expect(guard.AcquireLock("held")).to.equal(true);
			guard.RunOnce("held", () => 0); // locked by AcquireLock: refused
			const global = guard.GetAnalytics().global;
			expect(global.totalExecutions).to.equal(3);
			expect(global.cacheHits).to.equal(1);
			expect(global.refused).to.equal(3);
			expect(global.joined).to.equal(1);
			expect(global.blockedExecutions).to.equal(5);
			expect(guard.GetAnalytics().keys.get("busy")!.blocked).to.equal(2);
			task.wait(1.1);
		});

		it("a key that ran once and was then ClearResult'ed keeps its duration sample", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("job", () => task.wait(0.5));
			guard.ClearResult("job");
			const stats = guard.GetAnalytics().keys.get("job")!;
			expect(stats.samples).to.equal(1);
			expect(math.abs(stats.p50! - 0.5) < 0.05).to.equal(true);
			guard.RunOnce("job", () => task.wait(1.5));
			const after = guard.GetAnalytics().keys.get("job")!;
			expect(after.samples).to.equal(2);
			expect(math.abs(after.p95! - 1.5) < 0.05).to.equal(true);
		});

		it("p50 and p95 come from the key's recent durations", () => {
			const guard = new ExecutionGuard();
			for (let i = 1; i <= 20; i++) guard.RunOnce("job", () => task.wait(i / 10), { allowRerun: true });
			const stats = guard.GetAnalytics().keys.get("job")!;
			expect(stats.samples).to.equal(20);
			expect(math.abs(stats.p50! - 1.0) < 0.05).to.equal(true);
			expect(math.abs(stats.p95! - 1.9) < 0.05).to.equal(true);
		});

		it("the sample window is bounded: only the last sampleWindow durations count", () => {
			const guard = new ExecutionGuard(false, { sampleWindow: 4 });
			for (let i = 1; i <= 10; i++) guard.RunOnce("job", () => task.wait(i), { allowRerun: true });
			const stats = guard.GetAnalytics().keys.get("job")!;
			expect(stats.samples).to.equal(4);
			expect(math.abs(stats.p50! - 8) < 0.05).to.equal(true);
		});

		it("the summary lists problems first, newest first, in aligned columns with durations in ms", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("ok_key", () => task.wait(0.25));
			guard.RunOnce("old_failure", () => error("first"));
			task.wait(1);
			guard.RunOnce("new_timeout", () => task.wait(9), { timeout: 2 });
			const lines = guard.FormatSummary().split("\n");
			expect(lines[1].find("^key%s+status")[0] !== undefined).to.equal(true);
			expect(lines[3].sub(1, 11)).to.equal("new_timeout");
			expect(lines[4].sub(1, 11)).to.equal("old_failure");
			expect(lines[5].sub(1, 6)).to.equal("ok_key");
			// Columns line up: "status" starts at the same position on every row.
			const statusColumn = lines[1].find("status", 1, true)[0];
			expect(lines[3].find("TimedOut", 1, true)[0]).to.equal(statusColumn);
			expect(lines[5].find("Completed", 1, true)[0]).to.equal(statusColumn);
			expect(lines[5].find("250.0", 1, true)[0] !== undefined).to.equal(true);
		});
	});
};
