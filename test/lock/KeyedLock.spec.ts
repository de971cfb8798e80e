/// <reference types="@rbxts/testez/globals" />
import { GuardError, KeyedLock, LockHandle } from "shared/guard";

/** Starts a thread that waits for `key` and records, in `order`, its name when it gets the lock. */
function queueWaiter(
	lock: KeyedLock,
	key: string,
	name: string,
	order: Array<string>,
	holdFor: number,
	timeout?: number,
) {
	return task.spawn(() => {
		const [handle, err] = lock.Acquire(key, { timeout, owner: name });
		if (handle === undefined) {
			order.push(`${name}:${(err as GuardError).kind}`);
			return;
		}
		order.push(name);
		if (holdFor > 0) task.wait(holdFor);
		handle.Release();
	});
}

export = () => {
	// Inside the spec function: TestEZ gives `expect` to this function's environment only.
	function expectKind(err: unknown, kind: GuardError["kind"]): GuardError {
		expect(GuardError.is(err, kind)).to.equal(true);
		return err as GuardError;
	}

	describe("KeyedLock TryAcquire", () => {
		it("a free key is granted with a handle that holds it until Release", () => {
			const lock = new KeyedLock();
			const [handle, err] = lock.TryAcquire("shop_1");
			expect(err).to.equal(undefined);
			expect(handle!.key).to.equal("shop_1");
			expect(handle!.IsValid()).to.equal(true);
			expect(lock.IsLocked("shop_1")).to.equal(true);
			expect(lock.IsLocked("shop_2")).to.equal(false);
			expect(handle!.Release()).to.equal(true);
			expect(handle!.IsValid()).to.equal(false);
			expect(lock.IsLocked("shop_1")).to.equal(false);
		});

		it("a second TryAcquire fails fast with AlreadyRunning carrying key, lockedAt and holder", () => {
			const lock = new KeyedLock();
			const [first] = lock.TryAcquire("migrate", { owner: "Server A" });
			task.wait(2);
			const [second, err] = lock.TryAcquire("migrate");
			expect(second).to.equal(undefined);
			const failure = expectKind(err, "AlreadyRunning");
			expect(failure.details.key).to.equal("migrate");
			expect(failure.details.lockedAt).to.equal(first!.acquiredAt);
			expect(failure.details.holder).to.equal("Server A");
			expect(failure.message.find("Server A")[0] !== undefined).to.equal(true);
			expect(tostring(failure).sub(1, 15)).to.equal("AlreadyRunning:");
			first!.Release();
		});

		it("every acquisition gets a larger fencing token", () => {
			const lock = new KeyedLock();
			let previous = 0;
			for (let i = 0; i < 5; i++) {
				const [handle] = lock.TryAcquire(i % 2 === 0 ? "a" : "b");
				expect(handle!.token > previous).to.equal(true);
				previous = handle!.token;
				handle!.Release();
			}
		});

		it("a second Release of the same handle returns false and does not free the next holder", () => {
			const lock = new KeyedLock();
			const [first] = lock.TryAcquire("k");
			first!.Release();
			const [second] = lock.TryAcquire("k");
			expect(first!.Release()).to.equal(false);
			expect(lock.IsLocked("k")).to.equal(true);
			expect(second!.IsValid()).to.equal(true);
			expect(lock.GetInfo("k").staleReleases).to.equal(1);
			expect(second!.Release()).to.equal(true);
		});

		it("ForceRelease frees the key without the handle and leaves that handle stale", () => {
			const lock = new KeyedLock();
			expect(lock.ForceRelease("k")).to.equal(false);
			const [handle] = lock.TryAcquire("k");
			expect(lock.GetHolder("k")).to.equal(handle);
			expect(lock.ForceRelease("k")).to.equal(true);
			expect(lock.IsLocked("k")).to.equal(false);
			expect(lock.GetHolder("k")).to.equal(undefined);
			expect(handle!.IsValid()).to.equal(false);
			expect(handle!.Release()).to.equal(false);
		});
	});

	describe("KeyedLock Acquire (FIFO queue)", () => {
		it("waiters are served in the order they queued", () => {
			const lock = new KeyedLock();
			const order = new Array<string>();
			const [holder] = lock.TryAcquire("q");
			for (const name of ["w1", "w2", "w3", "w4", "w5"]) queueWaiter(lock, "q", name, order, 0.5);
			expect(lock.GetInfo("q").waiters).to.equal(5);
			holder!.Release();
			task.wait(5);
			expect(order.join(",")).to.equal("w1,w2,w3,w4,w5");
			expect(lock.IsLocked("q")).to.equal(false);
			expect(lock.GetInfo("q").waiters).to.equal(0);
		});

		it("a released key is handed straight to the first waiter, in the same frame", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("q");
			let grantedAt = -1;
			let handed: LockHandle | undefined;
			task.spawn(() => {
				const [handle] = lock.Acquire("q");
				grantedAt = os.clock();
				handed = handle;
			});
			task.wait(3);
			expect(grantedAt).to.equal(-1);
			const releasedAt = os.clock();
			holder!.Release();
			// Already owned by the waiter before it even resumes: nobody can slip in between.
			expect(lock.IsLocked("q")).to.equal(true);
			expect(lock.TryAcquire("q")[0]).to.equal(undefined);
			task.wait();
			expect(handed).to.be.ok();
			expect(grantedAt - releasedAt < 1 / 30).to.equal(true);
			expect(handed!.token > holder!.token).to.equal(true);
			handed!.Release();
		});

		it("a waiter that times out gets Timeout with the waited time and leaves IsLocked and the queue correct", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("t");
			const order = new Array<string>();
			queueWaiter(lock, "t", "early", order, 0, 1);
			queueWaiter(lock, "t", "patient", order, 0);
			let timeoutError: GuardError | undefined;
			task.spawn(() => {
				const [, err] = lock.Acquire("t", { timeout: 2 });
				timeoutError = err;
			});
			expect(lock.GetInfo("t").waiters).to.equal(3);
			task.wait(3);
			expect(order.join(",")).to.equal("early:Timeout");
			const failure = expectKind(timeoutError, "Timeout");
			expect(failure.details.key).to.equal("t");
			expect(failure.details.waited as number).to.be.near(2, 0.1);
			// async-mutex #54: the timed-out waits changed neither the holder nor the rest of the queue.
			expect(lock.IsLocked("t")).to.equal(true);
			expect(lock.GetInfo("t").waiters).to.equal(1);
			expect(lock.GetInfo("t").timedOut).to.equal(2);
			holder!.Release();
			task.wait();
			expect(order.join(",")).to.equal("early:Timeout,patient");
			expect(lock.IsLocked("t")).to.equal(false);
		});

		it("after the only waiter timed out, releasing the holder leaves the key unlocked", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("t");
			const order = new Array<string>();
			queueWaiter(lock, "t", "w", order, 0, 0.5);
			task.wait(1);
			expect(order.join(",")).to.equal("w:Timeout");
			holder!.Release();
			expect(lock.IsLocked("t")).to.equal(false);
			const [again] = lock.TryAcquire("t");
			expect(again).to.be.ok();
		});

		it("timeout 0 never waits", () => {
			const lock = new KeyedLock();
			lock.TryAcquire("z");
			const before = os.clock();
			const [handle, err] = lock.Acquire("z", { timeout: 0 });
			expect(handle).to.equal(undefined);
			expectKind(err, "Timeout");
			expect(os.clock()).to.equal(before);
			expect(lock.GetInfo("z").waiters).to.equal(0);
		});

		it("a waiter cancelled through its promise leaves the queue and never gets the key", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("c");
			const order = new Array<string>();
			const pending = lock.AcquireAsync("c");
			queueWaiter(lock, "c", "next", order, 0);
			expect(lock.GetInfo("c").waiters).to.equal(2);
			pending.cancel();
			expect(lock.GetInfo("c").waiters).to.equal(1);
			expect(lock.GetInfo("c").cancelled).to.equal(1);
			holder!.Release();
			task.wait();
			expect(order.join(",")).to.equal("next");
			expect(pending.getStatus()).to.equal(Promise.Status.Cancelled);
			expect(lock.IsLocked("c")).to.equal(false);
		});

		it("a promise cancelled after the grant but before it resumed gives the key back", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("g");
			const pending = lock.AcquireAsync("g");
			holder!.Release();
			// The key now belongs to the promise's waiter, which has not resumed yet.
			expect(lock.IsLocked("g")).to.equal(true);
			pending.cancel();
			expect(lock.IsLocked("g")).to.equal(false);
			task.wait();
			expect(pending.getStatus()).to.equal(Promise.Status.Cancelled);
			expect(lock.TryAcquire("g")[0]).to.be.ok();
		});

		it("a waiting thread killed with task.cancel is skipped when its turn comes", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("c");
			const order = new Array<string>();
			const doomed = queueWaiter(lock, "c", "doomed", order, 0);
			queueWaiter(lock, "c", "alive", order, 0);
			task.cancel(doomed);
			holder!.Release();
			task.wait();
			expect(order.join(",")).to.equal("alive");
			expect(lock.IsLocked("c")).to.equal(false);
			expect(lock.GetInfo("c").cancelled).to.equal(1);
		});

		it("Acquire by the thread that already holds the key fails with Reentrant instead of waiting forever", () => {
			const lock = new KeyedLock();
			const [held] = lock.TryAcquire("self");
			const [again, err] = lock.Acquire("self");
			expect(again).to.equal(undefined);
			expectKind(err, "Reentrant");
			expect(lock.GetInfo("self").waiters).to.equal(0);
			expect(held!.IsValid()).to.equal(true);
			// WithLock inside WithLock on the same key reports it too (and still releases the outer hold).
			const [ok, nested] = pcall(() => lock.WithLock("inner", () => lock.WithLock("inner", () => 1)));
			expect(ok).to.equal(false);
			expectKind(nested, "Reentrant");
			expect(lock.IsLocked("inner")).to.equal(false);
		});

		it("AcquireAsync resolves with a handle once the key is free", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("p");
			const pending = lock.AcquireAsync("p", { timeout: 10 });
			task.delay(1, () => holder!.Release());
			const [ok, handle] = pending.await();
			expect(ok).to.equal(true);
			expect((handle as LockHandle).IsValid()).to.equal(true);
			(handle as LockHandle).Release();
		});

		it("a waiter granted the key but not yet resumed when ReleaseAll runs gets Cancelled, not a dead handle", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("r");
			const order = new Array<string>();
			queueWaiter(lock, "r", "w", order, 0);
			holder!.Release();
			lock.ReleaseAll();
			task.wait();
			expect(order.join(",")).to.equal("w:Cancelled");
			expect(lock.IsLocked("r")).to.equal(false);
		});

		it("ReleaseAll ends every hold and fails every waiter with Cancelled", () => {
			const lock = new KeyedLock();
			const [a] = lock.TryAcquire("a");
			const [b] = lock.TryAcquire("b");
			const order = new Array<string>();
			queueWaiter(lock, "a", "w", order, 0, 10);
			expect(lock.ReleaseAll()).to.equal(2);
			task.wait();
			expect(order.join(",")).to.equal("w:Cancelled");
			expect(a!.IsValid()).to.equal(false);
			expect(b!.IsValid()).to.equal(false);
			expect(lock.IsLocked("a")).to.equal(false);
			expect(lock.IsLocked("b")).to.equal(false);
			expect(a!.Release()).to.equal(false);
			const [fresh] = lock.TryAcquire("a");
			expect(fresh).to.be.ok();
		});
	});
};
