/// <reference types="@rbxts/testez/globals" />
import { GuardError, KeyedLock } from "shared/guard";

/** Runs a TryAcquire with retries against a key held for the whole time; returns the delays it chose. */
function delaysFor(seed: number, retries: number, baseDelay: number, maxDelay: number) {
	const lock = new KeyedLock();
	lock.TryAcquire("held");
	const delays = new Array<number>();
	const waitedAt = new Array<number>();
	const started = os.clock();
	const [handle, err] = lock.TryAcquire("held", {
		retries,
		baseDelay,
		maxDelay,
		random: new Random(seed),
		onRetry: (retry, delay) => {
			delays.push(delay);
			waitedAt.push(os.clock());
		},
	});
	return { delays, waitedAt, started, ended: os.clock(), handle, err, lock };
}

export = () => {
	describe("KeyedLock TryAcquire with retries (exponential backoff with jitter)", () => {
		it("tries 1 + retries times, and fails with AlreadyRunning when the key stays held", () => {
			const run = delaysFor(1, 3, 0.1, 30);
			expect(run.handle).to.equal(undefined);
			expect(GuardError.is(run.err, "AlreadyRunning")).to.equal(true);
			expect(run.delays.size()).to.equal(3);
			expect(run.lock.GetInfo("held").contended).to.equal(4);
		});

		it("delays double from baseDelay (each within [d/2, d)) and never shrink", () => {
			const run = delaysFor(7, 5, 0.1, 30);
			run.delays.forEach((delay, index) => {
				const full = 0.1 * 2 ** index;
				expect(delay >= full / 2 && delay < full).to.equal(true);
				if (index > 0) expect(delay >= run.delays[index - 1]).to.equal(true);
			});
			expect(run.delays[4] > run.delays[0] * 4).to.equal(true);
		});

		it("the waits really pass in (virtual) time: the call takes the sum of its delays", () => {
			const run = delaysFor(3, 4, 0.2, 30);
			let total = 0;
			for (const delay of run.delays) total += delay;
			expect(run.ended - run.started >= total).to.equal(true);
			// task.wait resumes on a frame boundary: at most a frame late per wait.
			expect(run.ended - run.started <= total + 4 / 30).to.equal(true);
			for (let i = 1; i < run.waitedAt.size(); i++) {
				expect(run.waitedAt[i] - run.waitedAt[i - 1] >= run.delays[i - 1]).to.equal(true);
			}
		});

		it("delays are jittered: other seeds give other delays, the same seed the same ones", () => {
			const a = delaysFor(11, 3, 0.1, 30).delays;
			const b = delaysFor(12, 3, 0.1, 30).delays;
			const again = delaysFor(11, 3, 0.1, 30).delays;
			expect(a.join(",")).to.equal(again.join(","));
			expect(a.join(",") !== b.join(",")).to.equal(true);
		});

		it("maxDelay caps the growth", () => {
			const run = delaysFor(5, 6, 0.5, 1);
			for (const delay of run.delays) expect(delay < 1).to.equal(true);
			expect(run.delays[5] >= 0.5).to.equal(true);
		});

		it("succeeds on a later attempt once the holder releases during the backoff", () => {
			const lock = new KeyedLock();
			const [holder] = lock.TryAcquire("k");
			task.delay(0.25, () => holder!.Release());
			let attempts = 1;
			const [handle, err] = lock.TryAcquire("k", {
				retries: 5,
				baseDelay: 0.1,
				random: new Random(2),
				onRetry: () => (attempts += 1),
			});
			expect(err).to.equal(undefined);
			expect(handle!.IsValid()).to.equal(true);
			expect(attempts > 1 && attempts < 6).to.equal(true);
		});
	});
};
