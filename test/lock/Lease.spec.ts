/// <reference types="@rbxts/testez/globals" />
import { GuardError, KeyedLock, LockHandle } from "shared/guard";

export = () => {
	describe("KeyedLock leases", () => {
		it("a held key frees itself after leaseTtl seconds and its handle becomes invalid", () => {
			const lock = new KeyedLock();
			const [handle] = lock.TryAcquire("lease", { leaseTtl: 2 });
			expect(handle!.expiresAt).to.equal(handle!.acquiredAt + 2);
			task.wait(1);
			expect(lock.IsLocked("lease")).to.equal(true);
			expect(handle!.IsValid()).to.equal(true);
			task.wait(1.5);
			expect(handle!.IsValid()).to.equal(false);
			expect(lock.IsLocked("lease")).to.equal(false);
			expect(lock.GetInfo("lease").expired).to.equal(1);
		});

		it("the lock's default leaseTtl applies when the call gives none", () => {
			const lock = new KeyedLock({ leaseTtl: 1 });
			const [handle] = lock.TryAcquire("d");
			expect(handle!.expiresAt).to.equal(handle!.acquiredAt + 1);
			const [unleased] = lock.TryAcquire("e", { owner: "x" });
			expect(unleased!.expiresAt! - unleased!.acquiredAt).to.be.near(1, 1e-9);
			task.wait(1.5);
			expect(lock.IsLocked("d")).to.equal(false);
			expect(lock.IsLocked("e")).to.equal(false);
		});

		it("an expired holder's Release after someone else took the key returns false and keeps the new holder (Laravel #20709)", () => {
			const lock = new KeyedLock();
			const [stale] = lock.TryAcquire("import", { leaseTtl: 1 });
			task.wait(1.5);
			const [fresh] = lock.TryAcquire("import");
			expect(fresh).to.be.ok();
			expect(stale!.Release()).to.equal(false);
			expect(lock.IsLocked("import")).to.equal(true);
			expect(fresh!.IsValid()).to.equal(true);
			expect(lock.GetHolder("import")).to.equal(fresh);
			expect(lock.GetInfo("import").staleReleases).to.equal(1);
			expect(fresh!.Release()).to.equal(true);
		});

		it("an expired lease hands the key to the first waiter", () => {
			const lock = new KeyedLock();
			lock.TryAcquire("w", { leaseTtl: 1 });
			let got: LockHandle | undefined;
			task.spawn(() => {
				got = lock.Acquire("w", { timeout: 5 })[0];
			});
			task.wait(1.5);
			expect(got).to.be.ok();
			expect(got!.IsValid()).to.equal(true);
			expect(lock.GetHolder("w")).to.equal(got);
		});

		it("a lease never ends before its expiresAt, even when an earlier lease wakes the timer just before it", () => {
			const lock = new KeyedLock();
			task.wait();
			// The first lease wakes the shared timer on the next frame; the second is due 50 µs after that
			// wake-up and must wait for the frame after, not be swept along early.
			lock.TryAcquire("early", { leaseTtl: 1 / 60 - 1e-3 });
			const [late] = lock.TryAcquire("late", { leaseTtl: 1 / 60 + 5e-5 });
			let grantedAt: number | undefined;
			task.spawn(() => {
				lock.Acquire("late", { timeout: 1 });
				grantedAt = os.clock();
			});
			task.wait(0.5);
			expect(lock.IsLocked("early")).to.equal(false);
			expect(grantedAt).to.be.ok();
			expect(grantedAt! >= late!.expiresAt!).to.equal(true);
		});
	});

	describe("KeyedLock WithLock", () => {
		it("runs fn holding the key, returns its result and releases", () => {
			const lock = new KeyedLock();
			let lockedInside = false;
			const result = lock.WithLock("w", (handle) => {
				lockedInside = lock.IsLocked("w") && handle.IsValid();
				return 42;
			});
			expect(result).to.equal(42);
			expect(lockedInside).to.equal(true);
			expect(lock.IsLocked("w")).to.equal(false);
		});

		it("releases when fn errors and rethrows the original error value", () => {
			const lock = new KeyedLock();
			const original = new GuardError("ExecutionFailed", "boom");
			const [ok, err] = pcall(() => lock.WithLock<number>("w", () => error(original)));
			expect(ok).to.equal(false);
			expect(err).to.equal(original);
			expect(lock.IsLocked("w")).to.equal(false);
			const [ok2, err2] = pcall(() => lock.WithLock<number>("w", () => error("plain failure")));
			expect(ok2).to.equal(false);
			expect((err2 as string).find("plain failure")[0] !== undefined).to.equal(true);
			expect(lock.IsLocked("w")).to.equal(false);
		});

		it("waits its turn in the queue and serialises overlapping callers", () => {
			const lock = new KeyedLock();
			let inside = 0;
			let maxInside = 0;
			let done = 0;
			for (let i = 0; i < 5; i++) {
				task.spawn(() => {
					lock.WithLock("serial", () => {
						inside += 1;
						maxInside = math.max(maxInside, inside);
						task.wait(0.2);
						inside -= 1;
					});
					done += 1;
				});
			}
			task.wait(2);
			expect(done).to.equal(5);
			expect(maxInside).to.equal(1);
		});

		it("throws Timeout when the key stays held past timeout, without running fn", () => {
			const lock = new KeyedLock();
			lock.TryAcquire("busy");
			let ran = false;
			const [ok, err] = pcall(() => lock.WithLock("busy", () => (ran = true), { timeout: 1 }));
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "Timeout")).to.equal(true);
			expect(ran).to.equal(false);
		});

		it("throws LockLost with the result when the lease ran out while fn was running", () => {
			const lock = new KeyedLock();
			const [ok, err] = pcall(() =>
				lock.WithLock(
					"slow",
					() => {
						task.wait(2);
						return "late";
					},
					{ leaseTtl: 1 },
				),
			);
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "LockLost")).to.equal(true);
			expect((err as GuardError).details.result).to.equal("late");
			expect(lock.IsLocked("slow")).to.equal(false);
		});
	});

	describe("KeyedLock RunWithLock", () => {
		it("not acquired: acquired=false with the AlreadyRunning error, fn not run", () => {
			const lock = new KeyedLock();
			lock.TryAcquire("customer-import");
			let ran = false;
			const outcome = lock.RunWithLock("customer-import", () => (ran = true), { retries: 0 });
			expect(outcome.acquired).to.equal(false);
			expect(GuardError.is(outcome.error, "AlreadyRunning")).to.equal(true);
			expect(outcome.result).to.equal(undefined);
			expect(ran).to.equal(false);
		});

		it("acquired and ok: acquired=true with the result and no error", () => {
			const lock = new KeyedLock();
			const outcome = lock.RunWithLock("customer-import", () => ({ count: 3 }));
			expect(outcome.acquired).to.equal(true);
			expect(outcome.result!.count).to.equal(3);
			expect(outcome.error).to.equal(undefined);
			expect(lock.IsLocked("customer-import")).to.equal(false);
		});

		it("acquired and failed: acquired=true with the original error and a traceback, key released", () => {
			const lock = new KeyedLock();
			const outcome = lock.RunWithLock("customer-import", () => {
				error("database down");
			});
			expect(outcome.acquired).to.equal(true);
			expect(outcome.result).to.equal(undefined);
			expect(tostring(outcome.error).find("database down")[0] !== undefined).to.equal(true);
			expect(typeIs(outcome.traceback, "string")).to.equal(true);
			expect(lock.IsLocked("customer-import")).to.equal(false);
		});

		it("acquired, returned after the lease ran out: the result and a LockLost error", () => {
			const lock = new KeyedLock();
			const outcome = lock.RunWithLock(
				"slow",
				() => {
					task.wait(1.5);
					return "late";
				},
				{ leaseTtl: 1 },
			);
			expect(outcome.acquired).to.equal(true);
			expect(outcome.result).to.equal("late");
			expect(GuardError.is(outcome.error, "LockLost")).to.equal(true);
		});

		it("polls with backoff instead of queueing when retries is given", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("poll");
			task.delay(0.3, () => holder!.Release());
			let retries = 0;
			const outcome = lock.RunWithLock("poll", () => "got it", {
				retries: 5,
				baseDelay: 0.1,
				random: new Random(4),
				onRetry: () => (retries += 1),
			});
			expect(outcome.acquired).to.equal(true);
			expect(outcome.result).to.equal("got it");
			expect(retries > 0).to.equal(true);
			// Polling never joined the queue.
			expect(lock.GetInfo("poll").waiters).to.equal(0);
		});

		it("waits in the queue by default and gets the key when the holder releases", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("q");
			task.delay(1, () => holder!.Release());
			const outcome = lock.RunWithLock("q", () => "mine", { timeout: 5 });
			expect(outcome.acquired).to.equal(true);
			expect(outcome.result).to.equal("mine");
		});
	});
};
