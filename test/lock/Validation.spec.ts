/// <reference types="@rbxts/testez/globals" />
import { GuardError, KeyedLock, LockInfo, Semaphore } from "shared/guard";

function snapshot(info: LockInfo) {
	return `${info.locked}|${info.held}|${info.waiters}|${info.acquired}|${info.contended}|${info.holderToken}`;
}

export = () => {
	// Inside the spec function: TestEZ gives `expect` to this function's environment only.
	/** Calls fn, expects an InvalidArgument GuardError whose message mentions `mention`. */
	function expectInvalid(fn: () => unknown, mention: string) {
		const [ok, err] = pcall(fn);
		expect(ok).to.equal(false);
		expect(GuardError.is(err, "InvalidArgument")).to.equal(true);
		const message = (err as GuardError).message;
		expect(message.find(mention, 1, true)[0] !== undefined).to.equal(true);
	}

	describe("KeyedLock bad input", () => {
		it("rejects bad keys with InvalidArgument naming the key and the limit", () => {
			const lock = new KeyedLock();
			expectInvalid(() => lock.TryAcquire(""), "key must be a non-empty string");
			expectInvalid(() => lock.TryAcquire(5 as unknown as string), "got 5 (number)");
			expectInvalid(() => lock.TryAcquire(string.rep("x", 101)), "at most 100 characters");
			expectInvalid(() => lock.Acquire(undefined as unknown as string), "got nil");
			expectInvalid(() => lock.IsLocked(""), "KeyedLock.IsLocked");
			expectInvalid(() => lock.GetInfo(""), "KeyedLock.GetInfo");
			expectInvalid(() => lock.ForceRelease(""), "KeyedLock.ForceRelease");
			expectInvalid(() => lock.WithLock("", () => 1), "KeyedLock.WithLock");
		});

		it("rejects bad options with a message that names the option and what is expected", () => {
			const lock = new KeyedLock();
			expectInvalid(
				() => lock.Acquire("k", { timeout: -1 }),
				"options.timeout must be a finite number of seconds >= 0",
			);
			expectInvalid(() => lock.Acquire("k", { timeout: math.huge }), "options.timeout");
			expectInvalid(() => lock.Acquire("k", { timeout: 0 / 0 }), "options.timeout");
			expectInvalid(
				() => lock.TryAcquire("k", { leaseTtl: 0 }),
				"options.leaseTtl must be a finite number of seconds > 0",
			);
			expectInvalid(() => lock.TryAcquire("k", { retries: 1.5 }), "options.retries must be a whole number");
			expectInvalid(() => lock.TryAcquire("k", { retries: 2, baseDelay: -1 }), "options.baseDelay");
			expectInvalid(() => lock.TryAcquire("k", { random: 3 as never }), "options.random must be a Random");
			expectInvalid(() => lock.TryAcquire("k", { onRetry: "x" as never }), "options.onRetry must be a function");
			expectInvalid(
				() => lock.Acquire("k", { timout: 3 } as never),
				"unknown option 'timout' (did you mean 'timeout'?)",
			);
			expectInvalid(() => lock.Acquire("k", "fast" as never), "options must be a table");
			expectInvalid(() => lock.WithLock("k", () => 1, { timeout: 1, retries: 2 }), "not both");
			expectInvalid(() => lock.WithLock("k", () => 1, { baseDelay: 1 }), "only applies with 'retries'");
			expectInvalid(() => lock.WithLock("k", "fn" as never), "fn must be a function");
			expectInvalid(() => lock.RunWithLock("k", undefined as never), "fn must be a function");
		});

		it("rejects bad constructor options", () => {
			expectInvalid(() => new KeyedLock({ strategy: "File" as never }), "options.strategy must be");
			expectInvalid(() => new KeyedLock({ leaseTtl: -5 }), "options.leaseTtl");
			expectInvalid(() => new KeyedLock({ maxIdleKeys: -1 }), "options.maxIdleKeys");
			expectInvalid(() => new KeyedLock({ lease: 3 } as never), "unknown option 'lease'");
		});

		it("a rejected call leaves the lock exactly as it was", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("k");
			const before = snapshot(lock.GetInfo("k"));
			pcall(() => lock.TryAcquire("k", { leaseTtl: -1 }));
			pcall(() => lock.Acquire("k", { timeout: -1 }));
			pcall(() => lock.WithLock("k", "nope" as never));
			pcall(() => lock.RunWithLock("k", () => 1, { timout: 1 } as never));
			pcall(() => lock.TryAcquire("free", { retries: -1 }));
			expect(snapshot(lock.GetInfo("k"))).to.equal(before);
			expect(lock.GetHolder("k")).to.equal(holder);
			expect(lock.IsLocked("free")).to.equal(false);
			expect(lock.GetInfo("free").acquired).to.equal(0);
			expect(lock.GetAllInfo().size()).to.equal(1);
		});
	});

	describe("lock errors stay short and typed", () => {
		it("a 10,000-character key or option value is shortened in the message and the details", () => {
			const lock = new KeyedLock();
			const huge = string.rep("x", 10000);
			const attempts: Array<() => unknown> = [
				() => lock.TryAcquire(huge),
				() => lock.Acquire(huge, { timeout: 1 }),
				() => lock.WithLock(huge, () => 1),
				() => lock.RunWithLock(huge, () => 1),
				() => lock.IsLocked(huge),
				() => lock.GetInfo(huge),
				() => lock.GetHolder(huge),
				() => lock.ForceRelease(huge),
				() => lock.AcquireAsync(huge),
				() => lock.TryAcquire("k", { [huge]: 1 } as never),
				() => lock.TryAcquire("k", { leaseTtl: huge as never }),
				() => new KeyedLock({ strategy: huge as never }),
				() => new KeyedLock({ name: 5 as never }),
				() => new Semaphore(huge as never),
			];
			for (const attempt of attempts) {
				const [ok, err] = pcall(attempt);
				expect(ok).to.equal(false);
				expect(GuardError.is(err, "InvalidArgument")).to.equal(true);
				const failure = err as GuardError;
				expect(failure.message.size() < 400).to.equal(true);
				expect(tostring(failure.details.given).size() < 100).to.equal(true);
			}
		});

		it("a lock named with a 10,000-character name keeps its messages short", () => {
			const lock = new KeyedLock({ name: string.rep("n", 10000) });
			lock.TryAcquire("k");
			const [, err] = lock.TryAcquire("k");
			expect(GuardError.is(err, "AlreadyRunning")).to.equal(true);
			expect(err!.message.size() < 400).to.equal(true);
		});

		it("new Semaphore() with no permit count is refused at construction with InvalidArgument", () => {
			const [ok, err] = pcall(() => new Semaphore(undefined as never));
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "InvalidArgument")).to.equal(true);
			expect((err as GuardError).details.argument).to.equal("permits");
			expect((err as GuardError).message.find("Semaphore.new: permits must be", 1, true)[0]).to.equal(1);
		});
	});

	describe("KeyedLock introspection", () => {
		it("GetInfo reports holder, lockedAt, waiters and contention counts", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("bank", { owner: "Trader" });
			lock.TryAcquire("bank");
			task.spawn(() => lock.Acquire("bank", { timeout: 1 }));
			task.spawn(() => lock.Acquire("bank"));
			const info = lock.GetInfo("bank");
			expect(info.locked).to.equal(true);
			expect(info.holder).to.equal("Trader");
			expect(info.holderToken).to.equal(holder!.token);
			expect(info.lockedAt).to.equal(holder!.acquiredAt);
			expect(info.waiters).to.equal(2);
			expect(info.acquired).to.equal(1);
			expect(info.contended).to.equal(3);
			task.wait(1.5);
			expect(lock.GetInfo("bank").timedOut).to.equal(1);
			holder!.Release();
			const after = lock.GetInfo("bank");
			expect(after.acquired).to.equal(2);
			expect(after.waiters).to.equal(0);
		});

		it("a key never used reports zeros", () => {
			const info = new KeyedLock().GetInfo("nothing");
			expect(info.locked).to.equal(false);
			expect(info.acquired + info.contended + info.waiters).to.equal(0);
		});

		it("the summary lists each key with its counts and the totals", () => {
			const lock = new KeyedLock({ name: "TradeLocks" });
			lock.TryAcquire("trade_1", { owner: "Alice" });
			lock.TryAcquire("trade_1");
			const text = lock.FormatSummary();
			expect(text.find("TradeLocks summary", 1, true)[0]).to.equal(1);
			expect(text.find("trade_1", 1, true)[0] !== undefined).to.equal(true);
			expect(text.find("Alice", 1, true)[0] !== undefined).to.equal(true);
			expect(text.find("(all keys)", 1, true)[0] !== undefined).to.equal(true);
		});

		it("idle keys beyond maxIdleKeys are dropped, their counts kept in the totals", () => {
			const lock = new KeyedLock({ maxIdleKeys: 2 });
			for (let i = 0; i < 5; i++) lock.TryAcquire(`k${i}`)[0]!.Release();
			expect(lock.GetAllInfo().size()).to.equal(2);
			const text = lock.FormatSummary();
			// (all keys) row: 5 acquisitions in total.
			const [totalAcquired] = text.match("%(all keys%)%s+(%d+)");
			expect(totalAcquired).to.equal("5");
		});

		it("a kept key keeps its place while held again: a new key going idle meanwhile is dropped, not the kept one", () => {
			const lock = new KeyedLock({ maxIdleKeys: 2 });
			lock.TryAcquire("k0")[0]!.Release();
			lock.TryAcquire("k1")[0]!.Release();
			const held = lock.TryAcquire("k0")[0]!;
			lock.TryAcquire("k2")[0]!.Release();
			expect(lock.GetAllInfo().size()).to.equal(2);
			expect(held.Release()).to.equal(true);
			const keys = lock.GetAllInfo().map((info) => info.key);
			expect(keys.size()).to.equal(2);
			expect(keys.includes("k0")).to.equal(true);
			expect(keys.includes("k1")).to.equal(true);
			expect(lock.GetInfo("k0").acquired).to.equal(2);
		});
	});
};
