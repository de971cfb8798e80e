/// <reference types="@rbxts/testez/globals" />
// Threads the timer loop has just resumed (after a task.wait or as a task.delay callback) that wait
// again with no time: Roblox resumes them on a later frame, never in the frame that resumed them, so a
// `while true do task.wait() end` loop runs once per frame (~60 times per virtual second).
import { RunService } from "@rbxts/services";

const FRAME = 1 / 60;
const EPSILON = 1e-6;

export = () => {
	describe("a thread the timer loop resumed", () => {
		it("task.wait() after task.wait(0.1) waits one frame and returns that frame", () => {
			task.wait(0.1);
			const before = os.clock();
			const elapsed = task.wait();
			expect(elapsed > FRAME - EPSILON && elapsed < FRAME + EPSILON).to.equal(true);
			expect(os.clock() - before > FRAME - EPSILON).to.equal(true);
		});

		it("task.wait(0) after task.wait(0.1) waits one frame", () => {
			task.wait(0.1);
			const elapsed = task.wait(0);
			expect(elapsed > FRAME - EPSILON && elapsed < FRAME + EPSILON).to.equal(true);
		});

		it("task.delay(0, f) runs f on a later frame", () => {
			task.wait(0.1);
			const scheduledAt = os.clock();
			let ranAt = -1;
			task.delay(0, () => (ranAt = os.clock()));
			task.wait(0.1);
			expect(ranAt - scheduledAt > FRAME - EPSILON && ranAt - scheduledAt < FRAME + EPSILON).to.equal(true);
		});

		it("a task.delay callback that calls task.wait() resumes a frame later", () => {
			let elapsed = -1;
			task.delay(0.1, () => (elapsed = task.wait()));
			task.wait(0.5);
			expect(elapsed > FRAME - EPSILON && elapsed < FRAME + EPSILON).to.equal(true);
		});

		it("a spawned task.wait() loop runs once per frame (~30 times in 0.5 s)", () => {
			let iterations = 0;
			let running = true;
			// bounded so that a scheduler that runs it within one frame ends instead of hanging the run
			task.spawn(() => {
				while (running && iterations < 1000) {
					iterations++;
					task.wait();
				}
			});
			task.wait(0.5);
			running = false;
			expect(iterations >= 29 && iterations <= 32).to.equal(true);
		});

		it("a bare task.wait() loop advances the clock one frame per iteration, 60 per virtual second", () => {
			task.wait(0.1);
			const started = os.clock();
			for (let index = 0; index < 60; index++) task.wait();
			const elapsed = os.clock() - started;
			expect(elapsed > 1 - EPSILON && elapsed < 1 + EPSILON).to.equal(true);
		});

		it("equal zero-delay waits from timer-resumed threads still resume first-in first-out", () => {
			const order: string[] = [];
			// scheduled from a Heartbeat handler, outside the timer pass, so only the waits are held back
			RunService.Heartbeat.Once(() => {
				for (const name of ["a", "b", "c"]) {
					task.delay(0.1, () => {
						task.wait();
						order.push(name);
					});
				}
			});
			task.wait(0.5);
			expect(order.join("")).to.equal("abc");
		});
	});
};
