/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard } from "shared/guard";

export = () => {
	describe("AcquireLock waiters whose thread dies", () => {
		it("a waiter cancelled after the key was handed to it does not keep the key", () => {
			const guard = new ExecutionGuard();
			expect(guard.AcquireLock("trade_1")).to.equal(true);
			let returned = false;
			const waiter = task.spawn(() => {
				guard.AcquireLock("trade_1", 10);
				returned = true;
			});
			// The key is handed to the waiter, which has not resumed yet when its thread is cancelled
			// (a PlayerRemoving handler cancelling the player's thread, say).
			guard.ReleaseLock("trade_1");
			task.cancel(waiter);
			task.wait(0.1);
			expect(returned).to.equal(false);
			expect(guard.IsLocked("trade_1")).to.equal(false);
			const [ran, value] = guard.RunOnce("trade_1", () => "traded");
			expect(ran).to.equal(true);
			expect(value).to.equal("traded");
			expect(guard.AcquireLock("trade_1")).to.equal(true);
			guard.ReleaseLock("trade_1");
			expect(guard.IsLocked("trade_1")).to.equal(false);
		});

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

	describe("ReleaseLock(key) frees only the hold of the thread that took it", () => {
		it("a second ReleaseLock by a former holder does not free the next holder (Laravel #20709)", () => {
			const guard = new ExecutionGuard();
			let secondRelease = false;
			task.spawn(() => {
				guard.AcquireLock("trade_1");
				guard.ReleaseLock("trade_1");
				task.wait(1);
				guard.ReleaseLock("trade_1"); // a stray second release, after someone else took the key
				secondRelease = true;
			});
			let nextHolds = false;
			task.spawn(() => {
				nextHolds = guard.AcquireLock("trade_1");
				task.wait(5);
				guard.ReleaseLock("trade_1");
			});
			task.wait(2);
			expect(secondRelease).to.equal(true);
			expect(nextHolds).to.equal(true);
			expect(guard.IsLocked("trade_1")).to.equal(true);
			const [ran] = guard.RunOnce("trade_1", () => 1);
			expect(ran).to.equal(false);
			task.wait(4);
			expect(guard.IsLocked("trade_1")).to.equal(false);
		});

		it("a ReleaseLock from another thread while the holder's thread still runs is ignored", () => {
			const guard = new ExecutionGuard();
			task.spawn(() => {
				guard.AcquireLock("k");
				task.wait(3);
				guard.ReleaseLock("k");
			});
			guard.ReleaseLock("k");
			expect(guard.IsLocked("k")).to.equal(true);
			task.wait(3.1);
			expect(guard.IsLocked("k")).to.equal(false);
		});

		it("once the holder's thread has ended (returned or cancelled mid-hold), any thread may release the key", () => {
			const guard = new ExecutionGuard();
			// Taken in one event handler, given back in another (PlayerAdded / PlayerRemoving).
			task.spawn(() => guard.AcquireLock("session_1"));
			guard.ReleaseLock("session_1");
			expect(guard.IsLocked("session_1")).to.equal(false);
			// A PlayerRemoving handler cancels the player's thread mid-trade, then cleans up.
			const trade = task.spawn(() => {
				guard.AcquireLock("trade_2");
				task.wait(100);
			});
			task.cancel(trade);
			guard.ReleaseLock("trade_2");
			expect(guard.IsLocked("trade_2")).to.equal(false);
			const [ran] = guard.RunOnce("trade_2", () => 1);
			expect(ran).to.equal(true);
		});
	});
};
