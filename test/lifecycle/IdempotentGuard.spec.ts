/// <reference types="@rbxts/testez/globals" />
import { GuardError, IdempotentGuard } from "shared/guard";

function errorOf(fn: () => unknown): unknown {
	const [ok, err] = pcall(fn);
	return ok ? undefined : err;
}

function contains(text: string, part: string) {
	return text.find(part, 1, true)[0] !== undefined;
}

export = () => {
	// Inside the spec function: TestEZ gives `expect` to this function's environment only.
	function expectKind(err: unknown, kind: GuardError["kind"]): GuardError {
		expect(GuardError.is(err, kind)).to.equal(true);
		return err as GuardError;
	}

	describe("IdempotentGuard Init and Start", () => {
		it("a second Init returns false and does not run its function", () => {
			const lifecycle = new IdempotentGuard("DataService");
			let runs = 0;
			expect(lifecycle.Init(() => runs++)).to.equal(true);
			expect(lifecycle.Init(() => runs++)).to.equal(false);
			expect(runs).to.equal(1);
			expect(lifecycle.GetState()).to.equal("Initialized");
		});

		it("a second Start returns false and does not run its function", () => {
			const lifecycle = new IdempotentGuard("DataService");
			let starts = 0;
			lifecycle.Init(() => {});
			expect(lifecycle.Start(() => starts++)).to.equal(true);
			expect(lifecycle.Start(() => starts++)).to.equal(false);
			expect(starts).to.equal(1);
			expect(lifecycle.GetState()).to.equal("Started");
			// Init after Start is also a no-op.
			expect(lifecycle.Init(() => starts++)).to.equal(false);
			expect(starts).to.equal(1);
		});

		it("concurrent Init callers share one run and return only after it finished", () => {
			const lifecycle = new IdempotentGuard("ArenaService");
			let runs = 0;
			const slowInit = () => {
				runs++;
				task.wait(2);
			};
			let firstResult: boolean | undefined;
			task.spawn(() => {
				firstResult = lifecycle.Init(slowInit);
			});
			expect(lifecycle.GetState()).to.equal("Initializing");
			const waitedFrom = os.clock();
			const secondResult = lifecycle.Init(slowInit);
			expect(os.clock() - waitedFrom >= 2 - 1e-6).to.equal(true);
			expect(secondResult).to.equal(false);
			expect(runs).to.equal(1);
			expect(lifecycle.GetState()).to.equal("Initialized");
			task.wait();
			expect(firstResult).to.equal(true);
		});

		it("a concurrent caller of a failing Init receives the same error", () => {
			const lifecycle = new IdempotentGuard("ArenaService");
			let firstError: unknown;
			task.spawn(() => {
				firstError = errorOf(() =>
					lifecycle.Init(() => {
						task.wait(1);
						error("map asset missing");
					}),
				);
			});
			const secondError = errorOf(() => lifecycle.Init(() => {}));
			task.wait();
			expectKind(secondError, "ExecutionFailed");
			expect(secondError).to.equal(firstError);
		});

		it("Start before Init is refused with NotInitialized and changes nothing", () => {
			const lifecycle = new IdempotentGuard("RewardService");
			let starts = 0;
			const err = expectKind(
				errorOf(() => lifecycle.Start(() => starts++)),
				"NotInitialized",
			);
			expect(err.message.find("RewardService")[0] !== undefined).to.equal(true);
			expect(starts).to.equal(0);
			expect(lifecycle.GetState()).to.equal("Created");
		});

		it("Start while Init is still running is refused with NotInitialized", () => {
			const lifecycle = new IdempotentGuard("RewardService");
			task.spawn(() => lifecycle.Init(() => task.wait(1)));
			const err = expectKind(
				errorOf(() => lifecycle.Start(() => {})),
				"NotInitialized",
			);
			expect(err.message.find("still running", 1, true)[0] !== undefined).to.equal(true);
			task.wait(1.5);
			expect(lifecycle.Start(() => {})).to.equal(true);
		});

		it("Init from inside its own Init function is refused as Reentrant", () => {
			const lifecycle = new IdempotentGuard("Loop");
			let inner: unknown;
			lifecycle.Init(() => {
				inner = errorOf(() => lifecycle.Init(() => {}));
			});
			expectKind(inner, "Reentrant");
			expect(lifecycle.GetState()).to.equal("Initialized");
		});
	});

	describe("IdempotentGuard Destroy", () => {
		it("every Init and Start after Destroy is refused with Destroyed", () => {
			const lifecycle = new IdempotentGuard("ShopService");
			let cleanups = 0;
			expect(lifecycle.Destroy(() => cleanups++)).to.equal(true);
			expectKind(
				errorOf(() => lifecycle.Init(() => {})),
				"Destroyed",
			);
			expectKind(
				errorOf(() => lifecycle.Start(() => {})),
				"Destroyed",
			);
			expect(lifecycle.Destroy(() => cleanups++)).to.equal(false);
			expect(cleanups).to.equal(1);
			expect(lifecycle.GetState()).to.equal("Destroyed");
		});

		it("Destroy during a running Init lets it finish but its callers get Destroyed", () => {
			const lifecycle = new IdempotentGuard("ShopService");
			let runnerError: unknown;
			let finished = false;
			task.spawn(() => {
				runnerError = errorOf(() =>
					lifecycle.Init(() => {
						task.wait(1);
						finished = true;
					}),
				);
			});
			lifecycle.Destroy();
			task.wait(1.5);
			expect(finished).to.equal(true);
			expectKind(runnerError, "Destroyed");
			expect(lifecycle.GetState()).to.equal("Destroyed");
		});
	});

	describe("IdempotentGuard when the thread running a phase is cancelled", () => {
		it("a cancelled Init fails with Cancelled: its waiter is released with that error, and retry is off", () => {
			const lifecycle = new IdempotentGuard("ArenaService");
			const runner = task.spawn(() => lifecycle.Init(() => task.wait(10)));
			let waiterError: unknown;
			let waiterReleased = false;
			task.spawn(() => {
				waiterError = errorOf(() => lifecycle.Init(() => {}));
				waiterReleased = true;
			});
			task.wait(1);
			task.cancel(runner);
			task.wait(0.1);
			expect(waiterReleased).to.equal(true);
			const err = expectKind(waiterError, "Cancelled");
			expect(contains(err.message, "ArenaService")).to.equal(true);
			expect(err.details.phase).to.equal("Init");
			expect(lifecycle.GetState()).to.equal("Failed");
			expect(lifecycle.GetError()).to.equal(err);
			// No retry by default: a cancelled Init is half done, like one that threw.
			let ran = false;
			expect(errorOf(() => lifecycle.Init(() => (ran = true)))).to.equal(err);
			expect(ran).to.equal(false);
			const startError = expectKind(
				errorOf(() => lifecycle.Start(() => {})),
				"NotInitialized",
			);
			expect(contains(startError.message, "cancelled")).to.equal(true);
			expect(contains(startError.message, "still running")).to.equal(false);
		});

		it("with nobody waiting, the next call sees the cancelled Init at once", () => {
			const lifecycle = new IdempotentGuard("ArenaService");
			const runner = task.spawn(() => lifecycle.Init(() => task.wait(10)));
			task.cancel(runner);
			expect(lifecycle.GetState()).to.equal("Failed");
			expectKind(lifecycle.GetError(), "Cancelled");
			expect(lifecycle.GetTimings().Init.finishedAt).to.equal(undefined);
		});

		it("with allowRetry, Init after a cancelled Init runs again and Start can follow", () => {
			const lifecycle = new IdempotentGuard("ArenaService", { allowRetry: true });
			const runner = task.spawn(() => lifecycle.Init(() => task.wait(10)));
			task.cancel(runner);
			expect(lifecycle.Init(() => {})).to.equal(true);
			expect(lifecycle.GetTimings().Init.attempts).to.equal(2);
			expect(lifecycle.Start(() => {})).to.equal(true);
			expect(lifecycle.GetState()).to.equal("Started");
		});

		it("a cancelled Start fails with Cancelled, releases its waiter and leaves Init done", () => {
			const lifecycle = new IdempotentGuard("Loop");
			lifecycle.Init(() => {});
			const runner = task.spawn(() => lifecycle.Start(() => task.wait(10)));
			let waiterError: unknown;
			task.spawn(() => {
				waiterError = errorOf(() => lifecycle.Start(() => {}));
			});
			task.wait(1);
			task.cancel(runner);
			task.wait(0.1);
			const err = expectKind(waiterError, "Cancelled");
			expect(err.details.phase).to.equal("Start");
			expect(lifecycle.GetState()).to.equal("Failed");
			expect(lifecycle.Init(() => {})).to.equal(false);
		});

		it("Destroy during a run whose thread is then cancelled releases the waiter with Destroyed", () => {
			const lifecycle = new IdempotentGuard("ShopService");
			const runner = task.spawn(() => lifecycle.Init(() => task.wait(10)));
			let waiterError: unknown;
			task.spawn(() => {
				waiterError = errorOf(() => lifecycle.Init(() => {}));
			});
			lifecycle.Destroy();
			task.cancel(runner);
			task.wait(0.1);
			expectKind(waiterError, "Destroyed");
			expect(lifecycle.GetState()).to.equal("Destroyed");
		});
	});

	describe("IdempotentGuard failure", () => {
		it("a failed Init keeps its error and traceback and is not retried by default", () => {
			const lifecycle = new IdempotentGuard("DataService");
			let runs = 0;
			const failing = () => {
				runs++;
				error("DataStore offline");
			};
			const err = expectKind(
				errorOf(() => lifecycle.Init(failing)),
				"ExecutionFailed",
			);
			expect(lifecycle.GetState()).to.equal("Failed");
			expect(lifecycle.GetError()).to.equal(err);
			expect(tostring(err.details.cause).find("DataStore offline", 1, true)[0] !== undefined).to.equal(true);
			expect(typeIs(err.details.traceback, "string")).to.equal(true);
			expect((err.details.traceback as string).size() > 0).to.equal(true);
			expect(err.message.find("retry is off", 1, true)[0] !== undefined).to.equal(true);
			// The repeat call rethrows the same error without running again.
			expect(errorOf(() => lifecycle.Init(failing))).to.equal(err);
			expect(runs).to.equal(1);
			// Start's refusal does not advise calling Init: with retry off, Init cannot run again.
			const refused = expectKind(
				errorOf(() => lifecycle.Start(() => {})),
				"NotInitialized",
			);
			expect(contains(refused.message, "call Init")).to.equal(false);
			expect(contains(refused.message, "allowRetry")).to.equal(true);
		});

		it("with allowRetry a failed Init runs again and can succeed", () => {
			const lifecycle = new IdempotentGuard("DataService", { allowRetry: true });
			let runs = 0;
			const flaky = () => {
				runs++;
				if (runs === 1) error("first try fails");
			};
			expectKind(
				errorOf(() => lifecycle.Init(flaky)),
				"ExecutionFailed",
			);
			expect(lifecycle.Init(flaky)).to.equal(true);
			expect(runs).to.equal(2);
			expect(lifecycle.GetState()).to.equal("Initialized");
			expect(lifecycle.GetError()).to.equal(undefined);
			expect(lifecycle.GetTimings().Init.attempts).to.equal(2);
		});

		it("a failed Start leaves Init done and, with allowRetry, Start runs again", () => {
			const lifecycle = new IdempotentGuard("Loop", { allowRetry: true });
			lifecycle.Init(() => {});
			let starts = 0;
			const start = () => {
				starts++;
				if (starts === 1) error("no arena");
			};
			expectKind(
				errorOf(() => lifecycle.Start(start)),
				"ExecutionFailed",
			);
			expect(lifecycle.GetState()).to.equal("Failed");
			expect(lifecycle.Init(() => {})).to.equal(false);
			expect(lifecycle.Start(start)).to.equal(true);
			expect(lifecycle.GetState()).to.equal("Started");
		});
	});

	describe("IdempotentGuard timings, summary and bad input", () => {
		it("records each phase's duration in virtual seconds", () => {
			const lifecycle = new IdempotentGuard("ArenaService");
			lifecycle.Init(() => task.wait(2));
			lifecycle.Start(() => {});
			const timings = lifecycle.GetTimings();
			expect(timings.Init.durationSeconds! >= 2 - 1e-6).to.equal(true);
			expect(timings.Init.durationSeconds! < 2.2).to.equal(true);
			expect(timings.Start.durationSeconds! < 0.001).to.equal(true);
			expect(timings.Start.attempts).to.equal(1);
		});

		it("the summary lists every module with state and ms, failed modules first", () => {
			const healthy = new IdempotentGuard("HealthyService");
			healthy.Init(() => task.wait(1));
			const broken = new IdempotentGuard("BrokenService");
			errorOf(() => broken.Init(() => error("boom")));
			const text = IdempotentGuard.formatSummary([healthy, broken]);
			const brokenAt = text.find("BrokenService", 1, true)[0];
			const healthyAt = text.find("HealthyService", 1, true)[0];
			expect(brokenAt !== undefined && healthyAt !== undefined && brokenAt < healthyAt).to.equal(true);
			expect(text.find("1000.0", 1, true)[0] !== undefined).to.equal(true);
			expect(text.find("Initialized", 1, true)[0] !== undefined).to.equal(true);
			expect(text.find("boom", 1, true)[0] !== undefined).to.equal(true);
			// One guard, dot-called as from Luau: IdempotentGuard.formatSummary(lifecycle).
			const single = IdempotentGuard.formatSummary(healthy);
			expect(single.find("HealthyService", 1, true)[0] !== undefined).to.equal(true);
			expect(single.find("BrokenService", 1, true)[0]).to.equal(undefined);
		});

		it("a non-function Init or Start is an InvalidArgument and leaves the state unchanged", () => {
			const lifecycle = new IdempotentGuard("DataService");
			const err = expectKind(
				errorOf(() => lifecycle.Init(5 as unknown as () => void)),
				"InvalidArgument",
			);
			expect(contains(err.message, "IdempotentGuard.Init: fn must be a function, got 5 (number)")).to.equal(true);
			expect(lifecycle.GetState()).to.equal("Created");
			expectKind(
				errorOf(() => lifecycle.Start(undefined as unknown as () => void)),
				"InvalidArgument",
			);
			expect(lifecycle.GetState()).to.equal("Created");
		});

		it("an unknown option is refused naming the closest one, instead of silently leaving retry off", () => {
			const err = expectKind(
				errorOf(() => new IdempotentGuard("DataService", { allowRetries: true } as never)),
				"InvalidArgument",
			);
			expect(contains(err.message, "unknown option 'allowRetries' (did you mean 'allowRetry'?)")).to.equal(true);
			expect(err.details.argument).to.equal("options");
			expect(err.details.key).to.equal("DataService");
		});

		it("bad input has the toolkit's one details shape: argument, given and key", () => {
			const lifecycle = new IdempotentGuard("DataService");
			const err = expectKind(
				errorOf(() => lifecycle.Init(5 as unknown as () => void)),
				"InvalidArgument",
			);
			expect(err.details.argument).to.equal("fn");
			expect(err.details.given).to.equal(5);
			expect(err.details.key).to.equal("DataService");
			const cleanup = expectKind(
				errorOf(() => lifecycle.Destroy("later" as unknown as () => void)),
				"InvalidArgument",
			);
			expect(cleanup.details.argument).to.equal("cleanup");
			expect(lifecycle.GetState()).to.equal("Created");
		});

		it("a 10,000-character name is shortened in every error", () => {
			const name = string.rep("x", 10000);
			const lifecycle = new IdempotentGuard(name);
			const messages = [
				expectKind(
					errorOf(() => lifecycle.Start(() => {})),
					"NotInitialized",
				).message,
				expectKind(
					errorOf(() => lifecycle.Init(5 as unknown as () => void)),
					"InvalidArgument",
				).message,
				expectKind(
					errorOf(() => lifecycle.Init(() => error("boom"))),
					"ExecutionFailed",
				).message,
				expectKind(
					errorOf(() => new IdempotentGuard(name, { allowRetries: true } as never)),
					"InvalidArgument",
				).message,
			];
			for (const message of messages) {
				expect(message.size() < 300).to.equal(true);
				expect(contains(message, "(10000 characters)")).to.equal(true);
			}
		});

		it("a summary of something that is not a guard is an InvalidArgument", () => {
			expectKind(
				errorOf(() => IdempotentGuard.formatSummary(5 as never)),
				"InvalidArgument",
			);
			expectKind(
				errorOf(() => IdempotentGuard.formatSummary([new IdempotentGuard("A"), "B"] as never)),
				"InvalidArgument",
			);
		});

		it("an empty name or a bad allowRetry is an InvalidArgument", () => {
			expectKind(
				errorOf(() => new IdempotentGuard("")),
				"InvalidArgument",
			);
			expectKind(
				errorOf(() => new IdempotentGuard("X", { allowRetry: "yes" as unknown as boolean })),
				"InvalidArgument",
			);
		});
	});
};
