/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard, GuardError } from "shared/guard";

const FRAME = 1 / 60;

export = () => {
	describe("join", () => {
		it("a joining caller waits for the in-flight run and receives its (true, result) without running", () => {
			const guard = new ExecutionGuard();
			let runs = 0;
			task.spawn(() =>
				guard.RunOnce("load", () => {
					runs += 1;
					task.wait(3);
					return "value";
				}),
			);
			const started = os.clock();
			const [ok, value] = guard.RunOnce("load", () => (runs += 100), { join: true });
			expect(ok).to.equal(true);
			expect(value).to.equal("value");
			expect(runs).to.equal(1);
			expect(math.abs(os.clock() - started - 3) < 2 * FRAME).to.equal(true);
			expect(guard.GetAnalytics().global.joined).to.equal(1);
		});

		it("a joiner's joinTimeout ends only its own wait; the run goes on and completes", () => {
			const guard = new ExecutionGuard();
			let firstOutcome: unknown;
			task.spawn(() => {
				const [, value] = guard.RunOnce("slow", () => {
					task.wait(5);
					return "done";
				});
				firstOutcome = value;
			});
			const started = os.clock();
			const [ok, err] = guard.RunOnce("slow", () => 0, { join: true, joinTimeout: 1 });
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "Timeout")).to.equal(true);
			expect(os.clock() - started < 1 + 2 * FRAME).to.equal(true);
			expect(guard.GetStatus("slow")).to.equal("Running");
			task.wait(4.1);
			expect(firstOutcome).to.equal("done");
			expect(guard.GetResult("slow")).to.equal("done");
		});

		it("a joiner that fn itself spawns gets the result of a run that never yields", () => {
			const guard = new ExecutionGuard();
			let joined: [boolean, unknown] | undefined;
			const [ok, value] = guard.RunOnce("sync_join", () => {
				task.spawn(() => {
					const [joinOk, joinValue] = guard.RunOnce("sync_join", () => "never", { join: true });
					joined = [joinOk, joinValue];
				});
				return "done";
			});
			expect(ok).to.equal(true);
			expect(value).to.equal("done");
			task.wait();
			expect(joined).to.be.ok();
			expect(joined![0]).to.equal(true);
			expect(joined![1]).to.equal("done");
			expect(guard.GetStatus("sync_join")).to.equal("Completed");
			// The runner was handed back: the next run that does not yield still works.
			expect(guard.RunOnce("after_sync_join", () => 1)[1]).to.equal(1);
		});

		it("joiners of a failing run receive the same ExecutionFailed error", () => {
			const guard = new ExecutionGuard();
			task.spawn(() =>
				guard.RunOnce("bad", () => {
					task.wait(1);
					error("exploded");
				}),
			);
			const [ok, err] = guard.RunOnce("bad", () => 0, { join: true });
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "ExecutionFailed")).to.equal(true);
		});
	});

	describe("failure", () => {
		it("a failing fn gives (false, ExecutionFailed) keeping message and traceback; not cached; a retry runs", () => {
			const guard = new ExecutionGuard();
			const [ok, err] = guard.RunOnce("risky", () => error("disk on fire"));
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "ExecutionFailed")).to.equal(true);
			const failure = err as GuardError;
			expect(tostring(failure.details.cause).find("disk on fire")[0] !== undefined).to.equal(true);
			expect(typeIs(failure.details.traceback, "string")).to.equal(true);
			// The message, then the stack where fn failed (this spec): more than the bare message.
			const traceback = failure.details.traceback as string;
			expect(traceback.find("disk on fire")[0] !== undefined).to.equal(true);
			expect(traceback.find("\n.*Rules%.spec")[0] !== undefined).to.equal(true);
			expect(guard.GetStatus("risky")).to.equal("Failed");
			expect(guard.IsLocked("risky")).to.equal(false);
			expect(guard.HasResult("risky")).to.equal(false);
			const [retried, value] = guard.RunOnce("risky", () => "fine now");
			expect(retried).to.equal(true);
			expect(value).to.equal("fine now");
		});

		it("a fn that fails after yielding also releases its lock and reports ExecutionFailed", () => {
			const guard = new ExecutionGuard();
			const [ok, err] = guard.RunOnce("later", () => {
				task.wait(1);
				error("late failure");
			});
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "ExecutionFailed")).to.equal(true);
			const traceback = (err as GuardError).details.traceback as string;
			expect(traceback.find("late failure")[0] !== undefined).to.equal(true);
			expect(traceback.find("\n.*Rules%.spec")[0] !== undefined).to.equal(true);
			expect(guard.IsLocked("later")).to.equal(false);
			expect(guard.AcquireLock("later")).to.equal(true);
		});
	});

	describe("timeout and late finish", () => {
		it("a timed-out run's thread is cancelled: code after its wait never runs", () => {
			const guard = new ExecutionGuard();
			let resumed = false;
			guard.RunOnce(
				"stuck",
				() => {
					task.wait(20);
					resumed = true;
				},
				{ timeout: 2 },
			);
			task.wait(30);
			expect(resumed).to.equal(false);
			expect(guard.GetStatus("stuck")).to.equal("TimedOut");
		});

		it("with cancelOnTimeout = false the late finish changes nothing (generation check)", () => {
			const guard = new ExecutionGuard();
			let lateFinished = false;
			const [ok] = guard.RunOnce(
				"laggy",
				() => {
					task.wait(10);
					lateFinished = true;
					return "late";
				},
				{ timeout: 5, cancelOnTimeout: false },
			);
			expect(ok).to.equal(false);
			// A retry starts while the timed-out run is still going.
			let retryResult: unknown;
			task.spawn(() => {
				[, retryResult] = guard.RunOnce("laggy", () => {
					task.wait(10);
					return "retry";
				});
			});
			task.wait(6);
			expect(lateFinished).to.equal(true);
			expect(guard.GetStatus("laggy")).to.equal("Running");
			expect(guard.HasResult("laggy")).to.equal(false);
			task.wait(10);
			expect(retryResult).to.equal("retry");
			expect(guard.GetResult("laggy")).to.equal("retry");
			expect(guard.GetAllRecords().get("laggy")!.executionCount).to.equal(2);
		});

		it("without a timeout option a run is stopped after the default 30 s, within a frame", () => {
			const guard = new ExecutionGuard();
			const started = os.clock();
			const [ok, err] = guard.RunOnce("slow", () => task.wait(400));
			const elapsed = os.clock() - started;
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "Timeout")).to.equal(true);
			expect(elapsed >= 30 - 1e-6 && elapsed <= 30 + FRAME + 1e-6).to.equal(true);
			expect(guard.GetStatus("slow")).to.equal("TimedOut");
		});

		it("a late finish with no retry running is ignored: the key stays TimedOut with no result", () => {
			const guard = new ExecutionGuard();
			let lateFinished = false;
			const [ok] = guard.RunOnce(
				"laggy",
				() => {
					task.wait(10);
					lateFinished = true;
					return "late";
				},
				{ timeout: 5, cancelOnTimeout: false },
			);
			expect(ok).to.equal(false);
			task.wait(6);
			expect(lateFinished).to.equal(true);
			expect(guard.GetStatus("laggy")).to.equal("TimedOut");
			expect(guard.HasResult("laggy")).to.equal(false);
			expect(GuardError.is(guard.GetAllRecords().get("laggy")!.lastError, "Timeout")).to.equal(true);
			const [ran, value] = guard.RunOnce("laggy", () => "retry");
			expect(ran).to.equal(true);
			expect(value).to.equal("retry");
		});

		it("an onTimeout that errors is reported with its key, and the other timeouts still fire", () => {
			const guard = new ExecutionGuard();
			const fired = new Array<string>();
			task.spawn(() =>
				guard.RunOnce("broken_callback", () => task.wait(100), {
					timeout: 1,
					onTimeout: () => error("callback exploded"),
				}),
			);
			task.spawn(() =>
				guard.RunOnce("fine_callback", () => task.wait(100), {
					timeout: 2,
					onTimeout: (key) => fired.push(key),
				}),
			);
			task.wait(3);
			expect(fired.join(",")).to.equal("fine_callback");
			const lastError = guard.GetAllRecords().get("broken_callback")!.lastError!;
			expect(GuardError.is(lastError, "ExecutionFailed")).to.equal(true);
			expect(lastError.message.find('"broken_callback"', 1, true)[0] !== undefined).to.equal(true);
			expect(lastError.message.find("onTimeout", 1, true)[0] !== undefined).to.equal(true);
			expect(tostring(lastError.details.cause).find("callback exploded", 1, true)[0] !== undefined).to.equal(
				true,
			);
			expect(guard.GetStatus("broken_callback")).to.equal("TimedOut");
			expect(guard.GetAnalytics().global.timedOut).to.equal(2);
		});

		it("each timeout fires within one frame of its deadline, for several overlapping runs", () => {
			const guard = new ExecutionGuard();
			const lateness = new Array<number>();
			for (const timeout of [3, 1, 2, 0.5, 4]) {
				task.spawn(() => {
					const started = os.clock();
					guard.RunOnce(`t${timeout}`, () => task.wait(100), { timeout });
					lateness.push(os.clock() - started - timeout);
				});
			}
			task.wait(5);
			expect(lateness.size()).to.equal(5);
			for (const late of lateness) expect(late >= -1e-6 && late <= FRAME + 1e-6).to.equal(true);
			expect(guard.GetAnalytics().global.timedOut).to.equal(5);
		});
	});

	describe("cancel", () => {
		it("Cancel stops the run: caller and joiners get Cancelled, status Idle, lock free, no timeout later", () => {
			const guard = new ExecutionGuard();
			let continued = false;
			let timeouts = 0;
			let callerErr: unknown;
			let joinerErr: unknown;
			task.spawn(() => {
				[, callerErr] = guard.RunOnce(
					"job",
					() => {
						task.wait(10);
						continued = true;
					},
					{ timeout: 3, onTimeout: () => (timeouts += 1) },
				);
			});
			task.spawn(() => {
				[, joinerErr] = guard.RunOnce("job", () => 0, { join: true });
			});
			task.wait(1);
			expect(guard.Cancel("job")).to.equal(true);
			expect(GuardError.is(callerErr, "Cancelled")).to.equal(true);
			expect(GuardError.is(joinerErr, "Cancelled")).to.equal(true);
			expect(guard.GetStatus("job")).to.equal("Idle");
			expect(guard.IsLocked("job")).to.equal(false);
			expect(GuardError.is(guard.GetAllRecords().get("job")!.lastError, "Cancelled")).to.equal(true);
			task.wait(15);
			expect(continued).to.equal(false);
			expect(timeouts).to.equal(0);
			expect(guard.GetAnalytics().global.cancelled).to.equal(1);
			expect(guard.Cancel("job")).to.equal(false);
		});
	});

	describe("re-entrancy", () => {
		it("RunOnce for the same key inside its own fn throws Reentrant instead of blocking", () => {
			const guard = new ExecutionGuard();
			let inner: unknown;
			guard.RunOnce("self", () => {
				const [ok, err] = pcall(() => guard.RunOnce("self", () => 1, { join: true }));
				inner = ok ? "no error" : err;
			});
			expect(GuardError.is(inner, "Reentrant")).to.equal(true);
		});

		it("the same holds after the fn has yielded", () => {
			const guard = new ExecutionGuard();
			let inner: unknown;
			guard.RunOnce("self", () => {
				task.wait(1);
				const [ok, err] = pcall(() => guard.RunOnce("self", () => 1));
				inner = ok ? "no error" : err;
			});
			expect(GuardError.is(inner, "Reentrant")).to.equal(true);
		});

		it("a chain A -> B -> A is refused too", () => {
			const guard = new ExecutionGuard();
			let inner: unknown;
			guard.RunOnce("A", () => {
				task.wait(0.5);
				guard.RunOnce("B", () => {
					const [ok, err] = pcall(() => guard.RunOnce("A", () => 1, { join: true }));
					inner = ok ? "no error" : err;
				});
			});
			expect(GuardError.is(inner, "Reentrant")).to.equal(true);
		});

		it("a waiting caller resumed by a stray task.spawn keeps waiting for the real outcome", () => {
			const guard = new ExecutionGuard();
			let outcome: unknown = "not returned yet";
			const caller = task.spawn(() => {
				[, outcome] = guard.RunOnce("wait", () => {
					task.wait(2);
					return "real";
				});
			});
			task.wait(0.5);
			task.spawn(caller, "stray", true, "bogus");
			expect(outcome).to.equal("not returned yet");
			task.wait(2);
			expect(outcome).to.equal("real");
		});

		it("another thread asking for the running key is blocked, not refused", () => {
			const guard = new ExecutionGuard();
			task.spawn(() => guard.RunOnce("busy", () => task.wait(1)));
			const [ok, value] = guard.RunOnce("busy", () => 1);
			expect(ok).to.equal(false);
			expect(value).to.equal(undefined);
		});
	});

	describe("locks shared with RunOnce", () => {
		it("IsLocked is true inside the running fn and AcquireLock fails there and from other threads", () => {
			const guard = new ExecutionGuard();
			let lockedInside = false;
			let acquiredInside = true;
			task.spawn(() =>
				guard.RunOnce("k", () => {
					lockedInside = guard.IsLocked("k");
					acquiredInside = guard.AcquireLock("k");
					task.wait(2);
				}),
			);
			expect(lockedInside).to.equal(true);
			expect(acquiredInside).to.equal(false);
			expect(guard.AcquireLock("k")).to.equal(false);
			task.wait(2.1);
			expect(guard.AcquireLock("k")).to.equal(true);
		});

		it("AcquireLock with a timeout waits for the running RunOnce and gets the lock when it ends", () => {
			const guard = new ExecutionGuard();
			task.spawn(() => guard.RunOnce("k", () => task.wait(2)));
			const started = os.clock();
			expect(guard.AcquireLock("k", 5)).to.equal(true);
			expect(os.clock() - started >= 2 - 1e-6).to.equal(true);
			expect(guard.GetStatus("k")).to.equal("Completed");
		});

		it("RunOnce is blocked while AcquireLock holds the key, and runs after ReleaseLock", () => {
			const guard = new ExecutionGuard();
			expect(guard.AcquireLock("k")).to.equal(true);
			const [blocked] = guard.RunOnce("k", () => 1);
			expect(blocked).to.equal(false);
			guard.ReleaseLock("k");
			const [ran, value] = guard.RunOnce("k", () => 2);
			expect(ran).to.equal(true);
			expect(value).to.equal(2);
		});

		it("ReleaseLock never ends a RunOnce run", () => {
			const guard = new ExecutionGuard();
			task.spawn(() => guard.RunOnce("k", () => task.wait(2)));
			task.wait(0.5);
			guard.ReleaseLock("k");
			expect(guard.IsLocked("k")).to.equal(true);
			expect(guard.GetStatus("k")).to.equal("Running");
			task.wait(2);
		});
	});

	describe("cheap path", () => {
		it("a non-yielding fn returns to its caller without yielding it, reusing one runner thread", () => {
			const guard = new ExecutionGuard();
			const runners = new Set<thread>();
			let returned = 0;
			task.spawn(() => {
				for (let i = 1; i <= 3; i++) {
					guard.RunOnce(`sync_${i}`, () => runners.add(coroutine.running()));
					returned += 1;
				}
			});
			// Had any call yielded, the spawned thread would not have got this far yet.
			expect(returned).to.equal(3);
			expect(runners.size()).to.equal(1);
		});
	});

	describe("options", () => {
		it("allowRerun runs a completed key again and returns (true, newResult)", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("k", () => 1);
			const [ok, value] = guard.RunOnce("k", () => 2, { allowRerun: true });
			expect(ok).to.equal(true);
			expect(value).to.equal(2);
			expect(guard.GetResult("k")).to.equal(2);
		});

		it("while a rerun runs the previous result stays readable, and callers are blocked rather than served it", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("k", () => 1);
			task.spawn(() =>
				guard.RunOnce(
					"k",
					() => {
						task.wait(1);
						return 2;
					},
					{ allowRerun: true },
				),
			);
			expect(guard.GetStatus("k")).to.equal("Running");
			expect(guard.GetResult("k")).to.equal(1);
			expect(guard.HasResult("k")).to.equal(true);
			expect(guard.GetAllRecords().get("k")!.hasResult).to.equal(true);
			const [ok, value] = guard.RunOnce("k", () => 3);
			expect(ok).to.equal(false);
			expect(value).to.equal(undefined);
			task.wait(1.1);
			expect(guard.GetResult("k")).to.equal(2);
			const [again, cached] = guard.RunOnce("k", () => 3);
			expect(again).to.equal(false);
			expect(cached).to.equal(2);
		});

		it("ClearResult during a rerun forgets the previous result at once; the rerun's own result is kept", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("k", () => 1);
			task.spawn(() =>
				guard.RunOnce(
					"k",
					() => {
						task.wait(1);
						return 2;
					},
					{ allowRerun: true },
				),
			);
			guard.ClearResult("k");
			expect(guard.GetResult("k")).to.equal(undefined);
			expect(guard.HasResult("k")).to.equal(false);
			expect(guard.GetAllRecords().get("k")!.hasResult).to.equal(false);
			expect(guard.GetStatus("k")).to.equal("Running");
			task.wait(1.1);
			expect(guard.GetResult("k")).to.equal(2);
		});

		it("ClearResult during a rerun that then fails leaves no result", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("k", () => 1);
			task.spawn(() =>
				guard.RunOnce(
					"k",
					() => {
						task.wait(1);
						error("rerun failed");
					},
					{ allowRerun: true },
				),
			);
			guard.ClearResult("k");
			task.wait(1.1);
			expect(guard.HasResult("k")).to.equal(false);
			expect(guard.GetStatus("k")).to.equal("Failed");
		});

		it("a rerun that fails forgets the previous result too", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("k", () => 1);
			guard.RunOnce("k", () => error("boom"), { allowRerun: true });
			expect(guard.HasResult("k")).to.equal(false);
			const [ran, value] = guard.RunOnce("k", () => 3);
			expect(ran).to.equal(true);
			expect(value).to.equal(3);
		});

		it("cacheResult = false keeps nothing: the caller gets the value, later calls get (false, nil) without running", () => {
			const guard = new ExecutionGuard();
			const [ok, value] = guard.RunOnce("secret", () => "password", { cacheResult: false });
			expect(ok).to.equal(true);
			expect(value).to.equal("password");
			expect(guard.HasResult("secret")).to.equal(false);
			let ran = false;
			const [again, nothing] = guard.RunOnce("secret", () => (ran = true));
			expect(again).to.equal(false);
			expect(nothing).to.equal(undefined);
			expect(ran).to.equal(false);
		});
	});

	describe("Cancel from inside the run's own fn", () => {
		it("without a yield: the caller gets Cancelled, the rest of fn runs, and the key runs again next time", () => {
			const guard = new ExecutionGuard();
			let after = false;
			const [ok, err] = guard.RunOnce("self_cancel", () => {
				expect(guard.Cancel("self_cancel")).to.equal(true);
				after = true;
				return "ignored";
			});
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "Cancelled")).to.equal(true);
			expect(after).to.equal(true);
			expect(guard.GetStatus("self_cancel")).to.equal("Idle");
			expect(guard.GetResult("self_cancel")).to.equal(undefined);
			const [again, value] = guard.RunOnce("self_cancel", () => 2);
			expect(again).to.equal(true);
			expect(value).to.equal(2);
		});

		it("then yielding: the caller gets Cancelled at once, the late finish changes nothing, other runs go on", () => {
			const guard = new ExecutionGuard();
			let finished = false;
			let runnerThread: thread | undefined;
			let nextRunThread: unknown;
			const [ok, err] = guard.RunOnce("self_cancel_wait", () => {
				runnerThread = coroutine.running();
				guard.Cancel("self_cancel_wait");
				task.wait(1);
				finished = true;
				// Right after this late finish, the thread that ran it must be free for the next run.
				task.defer(() => (nextRunThread = guard.RunOnce("after_0", () => coroutine.running())[1]));
				return "late";
			});
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "Cancelled")).to.equal(true);
			task.wait(1.5);
			expect(finished).to.equal(true);
			expect(guard.GetStatus("self_cancel_wait")).to.equal("Idle");
			expect(guard.HasResult("self_cancel_wait")).to.equal(false);
			// The thread that ran it is not left stuck: it settled its late finish and ran the next run.
			expect(runnerThread).to.be.ok();
			expect(nextRunThread).to.equal(runnerThread);
			const [ran, value] = guard.RunOnce("after_1", () => {
				task.wait(0.5);
				return 1;
			});
			expect(ran).to.equal(true);
			expect(value).to.equal(1);
			const [ran2, value2] = guard.RunOnce("after_2", () => 2);
			expect(ran2).to.equal(true);
			expect(value2).to.equal(2);
		});
	});
};
