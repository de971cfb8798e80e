/// <reference types="@rbxts/testez/globals" />
import { GuardError, KeyedLock, LockHandle, Semaphore } from "shared/guard";

/** Starts a thread that waits for `key`, records its name in `order` when granted, and releases at once. */
function queueWaiter(lock: KeyedLock | Semaphore, key: string, name: string, order: Array<string>) {
	return task.spawn(() => {
		const [handle, err] = lock.Acquire(key, { owner: name });
		if (handle === undefined) {
			order.push(`${name}:${(err as GuardError).kind}`);
			return;
		}
		order.push(name);
		handle.Release();
	});
}

export = () => {
	describe("a grant to a thread that can no longer run is passed on", () => {
		it("KeyedLock: a waiter cancelled after the key was handed to it, before it resumed, passes it to the next waiter", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("trade");
			const order = new Array<string>();
			const doomed = queueWaiter(lock, "trade", "doomed", order);
			queueWaiter(lock, "trade", "alive", order);
			holder!.Release();
			// The key now belongs to `doomed`, which has not resumed yet; it never will.
			task.cancel(doomed);
			task.wait(0.2);
			expect(order.join(",")).to.equal("alive");
			expect(lock.IsLocked("trade")).to.equal(false);
			expect(lock.GetInfo("trade").abandoned).to.equal(1);
		});

		it("KeyedLock: with nobody queued behind it, the key is free at the next look", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("trade");
			const doomed = task.spawn(() => lock.Acquire("trade"));
			holder!.Release();
			task.cancel(doomed);
			expect(lock.IsLocked("trade")).to.equal(false);
			expect(lock.GetHolder("trade")).to.equal(undefined);
			const [again] = lock.TryAcquire("trade");
			expect(again).to.be.ok();
			expect(lock.GetInfo("trade").abandoned).to.equal(1);
		});

		it("Semaphore: after a double release and two cancelled waiters, both permits come back", () => {
			const seats = new Semaphore(2);
			const [a] = seats.TryAcquire("combat");
			const [b] = seats.TryAcquire("combat");
			const first = task.spawn(() => seats.Acquire("combat"));
			const second = task.spawn(() => seats.Acquire("combat"));
			a!.Release();
			b!.Release();
			task.cancel(first);
			task.cancel(second);
			expect(seats.GetAvailable("combat")).to.equal(2);
			expect(seats.GetInfo("combat").abandoned).to.equal(2);
			expect(seats.TryAcquire("combat")[0]).to.be.ok();
			expect(seats.TryAcquire("combat")[0]).to.be.ok();
		});
	});

	describe("a holder whose thread dies while holding", () => {
		it("WithLock: the key of a thread cancelled inside fn passes to the next waiter, and the old handle frees nothing (Laravel #20709)", () => {
			const lock = new KeyedLock();
			let oldHandle: LockHandle | undefined;
			const trade = task.spawn(() =>
				lock.WithLock("trade_7", (handle) => {
					oldHandle = handle;
					task.wait(10); // the swap yields: a DataStore call
				}),
			);
			const order = new Array<string>();
			queueWaiter(lock, "trade_7", "next", order);
			let nextHandle: LockHandle | undefined;
			task.spawn(() => {
				nextHandle = lock.Acquire("trade_7")[0];
			});
			task.cancel(trade); // PlayerRemoving cancelled the player's thread mid-trade
			task.wait(0.2);
			expect(order.join(",")).to.equal("next");
			expect(nextHandle).to.be.ok();
			expect(nextHandle!.IsValid()).to.equal(true);
			expect(oldHandle!.IsValid()).to.equal(false);
			expect(oldHandle!.Release()).to.equal(false);
			expect(lock.GetHolder("trade_7")).to.equal(nextHandle);
			expect(lock.GetInfo("trade_7").abandoned).to.equal(1);
			expect(nextHandle!.Release()).to.equal(true);
		});

		it("RunWithLock: a cancelled thread's key is free at the next look when nobody waits", () => {
			const lock = new KeyedLock();
			const job = task.spawn(() => lock.RunWithLock("import", () => task.wait(10)));
			expect(lock.IsLocked("import")).to.equal(true);
			task.cancel(job);
			expect(lock.IsLocked("import")).to.equal(false);
			expect(lock.TryAcquire("import")[0]).to.be.ok();
			expect(lock.GetInfo("import").abandoned).to.equal(1);
		});

		it("Semaphore WithLock: a cancelled thread's permit comes back", () => {
			const seats = new Semaphore(3);
			const job = task.spawn(() => seats.WithLock("save", () => task.wait(10)));
			expect(seats.GetAvailable("save")).to.equal(2);
			task.cancel(job);
			expect(seats.GetAvailable("save")).to.equal(3);
		});

		it("a handle from TryAcquire/Acquire is a value, not tied to its thread: it keeps the key after that thread ends", () => {
			const lock = new KeyedLock();
			let stashed: LockHandle | undefined;
			const starter = task.spawn(() => {
				stashed = lock.TryAcquire("session")[0];
				task.wait(10);
			});
			task.cancel(starter);
			expect(lock.IsLocked("session")).to.equal(true);
			expect(lock.TryAcquire("session")[0]).to.equal(undefined);
			expect(lock.GetInfo("session").abandoned).to.equal(0);
			// Released later from elsewhere (a PlayerRemoving handler), as a stored handle is meant to be.
			expect(stashed!.Release()).to.equal(true);
			expect(lock.IsLocked("session")).to.equal(false);
		});

		it("a handle an Acquire waiter received is a value too: it keeps the key after the waiter's thread ends", () => {
			const lock = new KeyedLock();
			const [first] = lock.TryAcquire("session");
			let stashed: LockHandle | undefined;
			const waiter = task.spawn(() => {
				stashed = lock.Acquire("session")[0];
				task.wait(10);
			});
			first!.Release();
			task.wait(); // the waiter resumes with its handle
			expect(stashed).to.be.ok();
			task.cancel(waiter);
			task.wait(0.5);
			expect(lock.IsLocked("session")).to.equal(true);
			expect(stashed!.IsValid()).to.equal(true);
			expect(stashed!.Release()).to.equal(true);
		});

		it("after ForceRelease, the old handle's Release frees nothing of the next holder (Laravel #20709)", () => {
			const lock = new KeyedLock();
			const [old] = lock.TryAcquire("import");
			expect(lock.ForceRelease("import")).to.equal(true);
			const [fresh] = lock.TryAcquire("import");
			expect(old!.Release()).to.equal(false);
			expect(lock.GetHolder("import")).to.equal(fresh);
			expect(fresh!.IsValid()).to.equal(true);
		});
	});
};
