/// <reference types="@rbxts/testez/globals" />
import { GuardError, LockHandle, Semaphore } from "shared/guard";

export = () => {
	describe("Semaphore", () => {
		it("grants up to N permits per key, then fails fast with AlreadyRunning", () => {
			const seats = new Semaphore(3);
			const handles = new Array<LockHandle>();
			for (let i = 0; i < 3; i++) {
				const [handle] = seats.TryAcquire("arena");
				handles.push(handle!);
			}
			expect(seats.IsLocked("arena")).to.equal(true);
			expect(seats.GetAvailable("arena")).to.equal(0);
			const [fourth, err] = seats.TryAcquire("arena");
			expect(fourth).to.equal(undefined);
			expect(GuardError.is(err, "AlreadyRunning")).to.equal(true);
			// Other keys have their own permits.
			expect(seats.TryAcquire("lobby")[0]).to.be.ok();
			handles[1].Release();
			expect(seats.GetAvailable("arena")).to.equal(1);
			expect(seats.IsLocked("arena")).to.equal(false);
		});

		it("never admits more than N of 100 racers that try at once", () => {
			const permits = 10;
			const seats = new Semaphore(permits);
			let admitted = 0;
			let refused = 0;
			for (let i = 0; i < 100; i++) {
				task.spawn(() => {
					task.wait(); // all racers resume in the same frame
					const [handle] = seats.TryAcquire("combat");
					if (handle) admitted += 1;
					else refused += 1;
				});
			}
			task.wait(0.5);
			expect(admitted).to.equal(permits);
			expect(refused).to.equal(100 - permits);
			expect(seats.GetInfo("combat").held).to.equal(permits);
		});

		it("100 racers that wait are all served FIFO with never more than N inside at once", () => {
			const permits = 4;
			const seats = new Semaphore(permits);
			let inside = 0;
			let maxInside = 0;
			let finished = 0;
			const order = new Array<number>();
			for (let i = 0; i < 100; i++) {
				task.spawn(() => {
					seats.WithLock("pool", () => {
						order.push(i);
						inside += 1;
						maxInside = math.max(maxInside, inside);
						task.wait(0.05 + (i % 7) * 0.01);
						inside -= 1;
					});
					finished += 1;
				});
			}
			task.wait(10);
			expect(finished).to.equal(100);
			expect(maxInside).to.equal(permits);
			for (let i = 0; i < 100; i++) expect(order[i]).to.equal(i);
			expect(seats.GetInfo("pool").held).to.equal(0);
		});

		it("a stale permit handle cannot release another holder's permit", () => {
			const seats = new Semaphore(2);
			const [a] = seats.TryAcquire("k", { leaseTtl: 1 });
			const [b] = seats.TryAcquire("k");
			task.wait(1.5);
			const [c] = seats.TryAcquire("k");
			expect(c).to.be.ok();
			expect(a!.Release()).to.equal(false);
			expect(seats.GetInfo("k").held).to.equal(2);
			expect(b!.IsValid() && c!.IsValid()).to.equal(true);
		});

		it("a waiter that times out leaves the permit count and the queue correct", () => {
			const seats = new Semaphore(1);
			const [holder] = seats.TryAcquire("k");
			let timedOut = false;
			task.spawn(() => {
				timedOut = GuardError.is(seats.Acquire("k", { timeout: 0.5 })[1], "Timeout");
			});
			task.wait(1);
			expect(timedOut).to.equal(true);
			expect(seats.GetInfo("k").waiters).to.equal(0);
			holder!.Release();
			expect(seats.GetAvailable("k")).to.equal(1);
		});

		it("GetInfo reports the oldest holder, permits held and waiters", () => {
			const seats = new Semaphore(2, { name: "Seats" });
			const [first] = seats.TryAcquire("k", { owner: "first" });
			task.wait(0.5);
			seats.TryAcquire("k", { owner: "second" });
			task.spawn(() => seats.Acquire("k", { timeout: 5 }));
			const info = seats.GetInfo("k");
			expect(info.held).to.equal(2);
			expect(info.permits).to.equal(2);
			expect(info.holder).to.equal("first");
			expect(info.lockedAt).to.equal(first!.acquiredAt);
			expect(info.waiters).to.equal(1);
			expect(seats.FormatSummary().find("2/2", 1, true)[0] !== undefined).to.equal(true);
		});

		it("rejects a permit count that is not a whole number ≥ 1", () => {
			for (const bad of [0, -1, 1.5, "3", undefined]) {
				const [ok, err] = pcall(() => new Semaphore(bad as number));
				expect(ok).to.equal(false);
				expect(GuardError.is(err, "InvalidArgument")).to.equal(true);
			}
		});
	});
};
