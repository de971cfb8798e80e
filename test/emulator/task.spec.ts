/// <reference types="@rbxts/testez/globals" />
// The emulator's task scheduler against Roblox's documented semantics. These run on the virtual clock.
import { RunService } from "@rbxts/services";

export = () => {
	describe("task.spawn", () => {
		it("runs the function at once, up to its first yield, before the caller continues", () => {
			const order: string[] = [];
			task.spawn(() => {
				order.push("spawned before yield");
				task.wait();
				order.push("spawned after yield");
			});
			order.push("caller");
			expect(order.join(",")).to.equal("spawned before yield,caller");
			task.wait(0.1);
			expect(order.join(",")).to.equal("spawned before yield,caller,spawned after yield");
		});

		it("passes its arguments and returns the thread", () => {
			let received = 0;
			const thread = task.spawn((value: number) => {
				received = value;
			}, 42);
			expect(received).to.equal(42);
			expect(typeIs(thread, "thread")).to.equal(true);
		});
	});

	describe("task.defer", () => {
		it("runs after the current resumption, not at once", () => {
			const order: string[] = [];
			task.spawn(() => {
				task.defer(() => order.push("deferred"));
				order.push("rest of the spawned thread");
			});
			order.push("caller after spawn");
			task.wait();
			expect(order.join(",")).to.equal("rest of the spawned thread,caller after spawn,deferred");
		});

		it("runs deferred threads in the order they were deferred", () => {
			const order: number[] = [];
			for (let index = 1; index <= 5; index++) task.defer(() => order.push(index));
			task.wait();
			expect(order.join(",")).to.equal("1,2,3,4,5");
		});
	});

	describe("task.delay and task.wait", () => {
		it("resumes delays with equal deadlines first-in first-out", () => {
			const order: string[] = [];
			for (const name of ["a", "b", "c", "d"]) task.delay(0.5, () => order.push(name));
			task.wait(1);
			expect(order.join("")).to.equal("abcd");
		});

		it("resumes an earlier deadline before a later one scheduled first", () => {
			const order: string[] = [];
			task.delay(2, () => order.push("late"));
			task.delay(1, () => order.push("early"));
			task.wait(3);
			expect(order.join(",")).to.equal("early,late");
		});

		it("task.wait returns the elapsed time, never less than asked", () => {
			for (const requested of [0, 0.01, 1 / 60, 0.1, 0.35, 2.5, 30]) {
				const elapsed = task.wait(requested);
				expect(elapsed >= requested).to.equal(true);
				// and not more than a frame late
				expect(elapsed < requested + 1 / 60 + 1e-6).to.equal(true);
			}
		});

		it("a delay of zero still waits for a later frame", () => {
			let ran = false;
			task.delay(0, () => (ran = true));
			expect(ran).to.equal(false);
			task.wait();
			expect(ran).to.equal(true);
		});

		it("passes extra arguments of task.delay to the function", () => {
			let got = "";
			task.delay(0.1, (a: string, b: string) => (got = a + b), "x", "y");
			task.wait(0.2);
			expect(got).to.equal("xy");
		});
	});

	describe("task.cancel", () => {
		it("stops a delayed thread before it runs", () => {
			let ran = false;
			const thread = task.delay(1, () => (ran = true));
			task.cancel(thread);
			task.wait(2);
			expect(ran).to.equal(false);
			expect(coroutine.status(thread)).to.equal("dead");
		});

		it("stops a thread suspended in task.wait", () => {
			let resumed = false;
			const thread = task.spawn(() => {
				task.wait(1);
				resumed = true;
			});
			task.cancel(thread);
			task.wait(2);
			expect(resumed).to.equal(false);
		});

		it("stops a deferred thread", () => {
			let ran = false;
			const thread = task.defer(() => (ran = true));
			task.cancel(thread);
			task.wait();
			expect(ran).to.equal(false);
		});
	});

	describe("the virtual clock", () => {
		it("os.clock, time, tick and os.time all advance with task.wait, by the same amount", () => {
			const clock = os.clock();
			const gameTime = time();
			const epoch = tick();
			const seconds = os.time();
			task.wait(3600);
			expect(math.abs(os.clock() - clock - 3600) < 0.02).to.equal(true);
			expect(math.abs(time() - gameTime - 3600) < 0.02).to.equal(true);
			expect(math.abs(tick() - epoch - 3600) < 0.02).to.equal(true);
			expect(os.time() - seconds >= 3599 && os.time() - seconds <= 3601).to.equal(true);
		});

		it("os.date formats the virtual time", () => {
			const before = os.date("!%Y-%m-%d", os.time());
			task.wait(24 * 3600);
			const after = os.date("!%Y-%m-%d", os.time());
			expect(before).never.to.equal(after);
			expect(os.date("!%Y-%m-%d")).to.equal(after);
		});
	});

	describe("RunService frame signals", () => {
		it("Heartbeat fires every frame with a delta of about 1/60 s", () => {
			const deltas: number[] = [];
			const connection = RunService.Heartbeat.Connect((delta) => deltas.push(delta));
			task.wait(0.5);
			connection.Disconnect();
			expect(deltas.size() >= 29 && deltas.size() <= 31).to.equal(true);
			for (const delta of deltas) expect(math.abs(delta - 1 / 60) < 1e-6).to.equal(true);
		});

		it("a disconnected handler is not called again", () => {
			let calls = 0;
			const connection = RunService.Heartbeat.Connect(() => calls++);
			task.wait(0.1);
			connection.Disconnect();
			const seen = calls;
			task.wait(0.5);
			expect(calls).to.equal(seen);
			expect(connection.Connected).to.equal(false);
		});

		it("Heartbeat:Wait() returns the frame delta", () => {
			const delta = RunService.Heartbeat.Wait()[0];
			expect(math.abs(delta - 1 / 60) < 1e-6).to.equal(true);
		});
	});
};
