/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard } from "shared/guard";

export = () => {
	describe("AcquireLock waiters whose thread dies", () => {
		it("a waiter cancelled while still queued leaves the key to the next waiter", () => {
			const guard = new ExecutionGuard();
			expect(guard.AcquireLock("k")).to.equal(true);
			const doomed = task.spawn(() => guard.AcquireLock("k", 10));
			let nextGot = false;
			task.spawn(() => {
				nextGot = guard.AcquireLock("k", 10);
			});
			task.cancel(doomed);
			guard.ReleaseLock("k");
			task.wait(0.1);
			expect(nextGot).to.equal(true);
			guard.ReleaseLock("k");
			expect(guard.IsLocked("k")).to.equal(false);
		});
	});

	describe("AcquireLock(key, timeout): the timeout bounds the wait, not the hold", () => {
		it("a lock taken with a timeout stays held past that timeout until ReleaseLock", () => {
			const guard = new ExecutionGuard();
			expect(guard.AcquireLock("k", 2)).to.equal(true);
			task.wait(10);
			expect(guard.IsLocked("k")).to.equal(true);
			const [ran] = guard.RunOnce("k", () => 1);
			expect(ran).to.equal(false);
			guard.ReleaseLock("k");
			expect(guard.IsLocked("k")).to.equal(false);
		});

		it("a waiter gives up after its timeout and returns false; the holder keeps the key", () => {
			const guard = new ExecutionGuard();
			expect(guard.AcquireLock("k")).to.equal(true);
			const started = os.clock();
			expect(guard.AcquireLock("k", 2)).to.equal(false);
			const waited = os.clock() - started;
			expect(waited >= 2 - 1e-6 && waited < 2 + 2 / 60).to.equal(true);
			expect(guard.IsLocked("k")).to.equal(true);
			guard.ReleaseLock("k");
			expect(guard.IsLocked("k")).to.equal(false);
		});
	});
};
