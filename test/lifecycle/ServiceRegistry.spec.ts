/// <reference types="@rbxts/testez/globals" />
import { GuardError, ServiceHooks, ServiceRegistry } from "shared/guard";

function errorOf(fn: () => unknown): unknown {
	const [ok, err] = pcall(fn);
	return ok ? undefined : err;
}

function contains(text: string, part: string) {
	return text.find(part, 1, true)[0] !== undefined;
}

/** A service that appends "<name>.Init" / "<name>.Start" to a shared log, optionally yielding in Init. */
function loggingService(log: string[], name: string, initSeconds = 0, initError?: string): ServiceHooks {
	return {
		Init() {
			log.push(`${name}.Init`);
			if (initSeconds > 0) task.wait(initSeconds);
			if (initError !== undefined) error(initError);
		},
		Start() {
			log.push(`${name}.Start`);
		},
		Destroy() {
			log.push(`${name}.Destroy`);
		},
	};
}

function quietRegistry(onSlowInit?: (name: string, threshold: number) => void) {
	return new ServiceRegistry({ output: false, onSlowInit: onSlowInit ?? (() => {}) });
}

export = () => {
	// Inside the spec function: TestEZ gives `expect` to this function's environment only.
	function expectKind(err: unknown, kind: GuardError["kind"]): GuardError {
		expect(GuardError.is(err, kind)).to.equal(true);
		return err as GuardError;
	}

	describe("ServiceRegistry order", () => {
		it("initialises in dependency order and starts only after every Init finished", () => {
			const log: string[] = [];
			const registry = quietRegistry();
			registry.Register("Reward", loggingService(log, "Reward"), { dependsOn: ["Data"] });
			registry.Register("Data", loggingService(log, "Data", 1), { dependsOn: ["Clock"] });
			registry.Register("Clock", loggingService(log, "Clock"));
			registry.Register("Arena", loggingService(log, "Arena", 1));
			expect(registry.InitAll()).to.equal(true);
			expect(registry.StartAll()).to.equal(true);
			expect(log.join(",")).to.equal(
				"Clock.Init,Data.Init,Reward.Init,Arena.Init,Clock.Start,Data.Start,Reward.Start,Arena.Start",
			);
			expect(registry.GetGuard("Reward")!.GetState()).to.equal("Started");
		});

		it("booting twice is harmless: nothing initialises or starts twice", () => {
			const log: string[] = [];
			const registry = quietRegistry();
			registry.Register("Data", loggingService(log, "Data"));
			registry.InitAll();
			registry.StartAll();
			expect(registry.InitAll()).to.equal(false);
			expect(registry.StartAll()).to.equal(false);
			expect(log.join(",")).to.equal("Data.Init,Data.Start");
		});

		it("a concurrent InitAll waits for the running one instead of initialising again", () => {
			const log: string[] = [];
			const registry = quietRegistry();
			registry.Register("Data", loggingService(log, "Data", 2));
			task.spawn(() => registry.InitAll());
			expect(registry.InitAll()).to.equal(false);
			expect(registry.GetGuard("Data")!.GetState()).to.equal("Initialized");
			expect(log.join(",")).to.equal("Data.Init");
		});

		it("a dependency cycle is refused with an error naming the cycle, before any Init runs", () => {
			const log: string[] = [];
			const registry = quietRegistry();
			registry.Register("Lobby", loggingService(log, "Lobby"));
			registry.Register("A", loggingService(log, "A"), { dependsOn: ["B"] });
			registry.Register("B", loggingService(log, "B"), { dependsOn: ["C"] });
			registry.Register("C", loggingService(log, "C"), { dependsOn: ["A"] });
			const err = expectKind(
				errorOf(() => registry.InitAll()),
				"InvalidState",
			);
			expect(contains(err.message, "A → B → C → A")).to.equal(true);
			expect(log.size()).to.equal(0);
		});

		it("an unknown dependency is refused with both names", () => {
			const registry = quietRegistry();
			registry.Register("Reward", {}, { dependsOn: ["Dta"] });
			const err = expectKind(
				errorOf(() => registry.InitAll()),
				"InvalidState",
			);
			expect(contains(err.message, `"Reward" depends on "Dta"`)).to.equal(true);
		});

		it("a missing dependency leaves registration open: registering it and calling InitAll again boots", () => {
			const log: string[] = [];
			const registry = quietRegistry();
			registry.Register("Reward", loggingService(log, "Reward"), { dependsOn: ["Data"] });
			const err = expectKind(
				errorOf(() => registry.InitAll()),
				"InvalidState",
			);
			expect(contains(err.message, "register it")).to.equal(true);
			// The error's advice can be followed.
			registry.Register("Data", loggingService(log, "Data"));
			expect(registry.InitAll()).to.equal(true);
			expect(log.join(",")).to.equal("Data.Init,Reward.Init");
			expect(registry.StartAll()).to.equal(true);
		});

		it("a dependency cycle changes nothing: InitAll names it again and registration stays open", () => {
			const registry = quietRegistry();
			registry.Register("A", {}, { dependsOn: ["B"] });
			registry.Register("B", {}, { dependsOn: ["A"] });
			expectKind(
				errorOf(() => registry.InitAll()),
				"InvalidState",
			);
			const again = expectKind(
				errorOf(() => registry.InitAll()),
				"InvalidState",
			);
			expect(contains(again.message, "A → B → A")).to.equal(true);
			expect(registry.Register("C", {}).GetState()).to.equal("Created");
			expect(registry.GetGuard("A")!.GetState()).to.equal("Created");
		});

		it("registration after DestroyAll is refused saying the registry was destroyed", () => {
			const registry = quietRegistry();
			registry.DestroyAll();
			const err = expectKind(
				errorOf(() => registry.Register("Late", {})),
				"InvalidState",
			);
			expect(contains(err.message, "DestroyAll")).to.equal(true);
			expect(contains(err.message, "InitAll began")).to.equal(false);
		});

		it("StartAll before InitAll is refused with NotInitialized", () => {
			const log: string[] = [];
			const registry = quietRegistry();
			registry.Register("Data", loggingService(log, "Data"));
			expectKind(
				errorOf(() => registry.StartAll()),
				"NotInitialized",
			);
			expect(log.size()).to.equal(0);
		});

		it("registration after InitAll began is refused, and after StartAll too", () => {
			const registry = quietRegistry();
			registry.Register("Data", {});
			registry.InitAll();
			const err = expectKind(
				errorOf(() => registry.Register("Late", {})),
				"InvalidState",
			);
			expect(contains(err.message, `Register("Late")`)).to.equal(true);
			registry.StartAll();
			expectKind(
				errorOf(() => registry.Register("Later", {})),
				"InvalidState",
			);
			expect(registry.GetGuard("Late")).to.equal(undefined);
		});

		it("bad registrations are InvalidArgument: duplicate name, non-function hook, unknown option", () => {
			const registry = quietRegistry();
			registry.Register("Data", {});
			expectKind(
				errorOf(() => registry.Register("Data", {})),
				"InvalidArgument",
			);
			expectKind(
				errorOf(() => registry.Register("Bad", { Init: 5 } as unknown as ServiceHooks)),
				"InvalidArgument",
			);
			const err = expectKind(
				errorOf(() => registry.Register("Typo", {}, { dependOn: ["Data"] } as never)),
				"InvalidArgument",
			);
			expect(contains(err.message, "dependOn")).to.equal(true);
			expect(registry.GetOrder().join(",")).to.equal("Data");
		});

		it("bad registry options are InvalidArgument naming the option", () => {
			for (const seconds of [-1, 0, 0 / 0, math.huge]) {
				const err = expectKind(
					errorOf(() => new ServiceRegistry({ slowInitWarningSeconds: seconds })),
					"InvalidArgument",
				);
				expect(contains(err.message, "slowInitWarningSeconds")).to.equal(true);
			}
			const typo = expectKind(
				errorOf(() => new ServiceRegistry({ slowInitWarning: 3 } as never)),
				"InvalidArgument",
			);
			expect(contains(typo.message, "slowInitWarning")).to.equal(true);
		});
	});

	describe("ServiceRegistry bad input", () => {
		it("an unknown option names the closest one", () => {
			const registry = quietRegistry();
			const register = expectKind(
				errorOf(() => registry.Register("Reward", {}, { dependOn: ["Data"] } as never)),
				"InvalidArgument",
			);
			expect(contains(register.message, "did you mean 'dependsOn'?")).to.equal(true);
			expect(register.details.key).to.equal("Reward");
			const options = expectKind(
				errorOf(() => new ServiceRegistry({ slowInitWarningSecond: 3 } as never)),
				"InvalidArgument",
			);
			expect(contains(options.message, "did you mean 'slowInitWarningSeconds'?")).to.equal(true);
		});

		it("output must be a function or false", () => {
			const err = expectKind(
				errorOf(() => new ServiceRegistry({ output: 5 as never })),
				"InvalidArgument",
			);
			expect(contains(err.message, "options.output must be a function or false, got 5 (number)")).to.equal(true);
			expect(err.details.argument).to.equal("options.output");
		});

		it("a bad dependsOn entry names its position and the service", () => {
			const registry = quietRegistry();
			const err = expectKind(
				errorOf(() => registry.Register("Reward", {}, { dependsOn: ["Data", 5 as never] })),
				"InvalidArgument",
			);
			expect(err.details.argument).to.equal("options.dependsOn entry 2");
			expect(err.details.key).to.equal("Reward");
			expect(registry.GetGuard("Reward")).to.equal(undefined);
		});

		it("GetGuard of something that is not a name is an InvalidArgument", () => {
			const registry = quietRegistry();
			const err = expectKind(
				errorOf(() => registry.GetGuard(5 as never)),
				"InvalidArgument",
			);
			expect(err.details.argument).to.equal("name");
			expect(registry.GetGuard("Missing")).to.equal(undefined);
		});

		it("10,000-character names are shortened in every error", () => {
			const long = string.rep("x", 10000);
			const registry = quietRegistry();
			const messages = [
				expectKind(
					errorOf(() => registry.Register(long, 5 as never)),
					"InvalidArgument",
				).message,
			];
			registry.Register(long, {});
			messages.push(
				expectKind(
					errorOf(() => registry.Register(long, {})),
					"InvalidArgument",
				).message,
			);
			registry.Register("Reward", {}, { dependsOn: [long + "y"] });
			messages.push(
				expectKind(
					errorOf(() => registry.InitAll()),
					"InvalidState",
				).message,
			);
			const failing = quietRegistry();
			failing.Register(long, loggingService([], "long", 0, "boom"));
			messages.push(
				expectKind(
					errorOf(() => failing.InitAll()),
					"ExecutionFailed",
				).message,
			);
			for (const message of messages) {
				expect(message.size() < 500).to.equal(true);
				expect(contains(message, "characters)")).to.equal(true);
			}
		});
	});

	describe("ServiceRegistry failures and warnings", () => {
		it("an Init that yields past the threshold is reported once with the service's name", () => {
			const reports: string[] = [];
			const reportedAt: number[] = [];
			const registry = new ServiceRegistry({
				output: false,
				slowInitWarningSeconds: 5,
				onSlowInit: (name, threshold) => {
					reports.push(`${name}:${threshold}`);
					reportedAt.push(os.clock());
				},
			});
			const log: string[] = [];
			registry.Register("Fast", loggingService(log, "Fast", 4));
			registry.Register("Slow", loggingService(log, "Slow", 8));
			const began = os.clock();
			registry.InitAll();
			expect(reports.join(",")).to.equal("Slow:5");
			// Fast took 4 s, so Slow began at ~4 s and is reported 5 s later.
			expect(math.abs(reportedAt[0] - began - 9) < 0.1).to.equal(true);
			task.wait(10);
			expect(reports.size()).to.equal(1);
		});

		it("a boot whose thread is cancelled before the threshold reports no slow Init afterwards", () => {
			const reports: string[] = [];
			const registry = quietRegistry((name) => reports.push(name));
			registry.Register("Slow", loggingService([], "Slow", 30));
			const booting = task.spawn(() => registry.InitAll());
			task.wait(1);
			task.cancel(booting);
			task.wait(10);
			expect(reports.size()).to.equal(0);
			expect(registry.GetGuard("Slow")!.GetState()).to.equal("Failed");
		});

		it("a failed Init stops the boot: earlier stay Initialized, later are not reached, StartAll refused", () => {
			const log: string[] = [];
			const registry = quietRegistry();
			registry.Register("Clock", loggingService(log, "Clock"));
			registry.Register("Data", loggingService(log, "Data", 0, "DataStore offline"), { dependsOn: ["Clock"] });
			registry.Register("Reward", loggingService(log, "Reward"), { dependsOn: ["Data"] });
			const err = expectKind(
				errorOf(() => registry.InitAll()),
				"ExecutionFailed",
			);
			expect(contains(err.message, `stopped at "Data"`)).to.equal(true);
			expect(contains(err.message, "DataStore offline")).to.equal(true);
			expect(registry.GetGuard("Clock")!.GetState()).to.equal("Initialized");
			expect(registry.GetGuard("Data")!.GetState()).to.equal("Failed");
			expect(registry.GetGuard("Reward")!.GetState()).to.equal("Created");
			expectKind(
				errorOf(() => registry.StartAll()),
				"NotInitialized",
			);
			expect(contains(registry.FormatStartupTree(), "not reached")).to.equal(true);
			// Without allowRetry a second InitAll rethrows and runs nothing again.
			expectKind(
				errorOf(() => registry.InitAll()),
				"ExecutionFailed",
			);
			expect(log.join(",")).to.equal("Clock.Init,Data.Init");
		});

		it("with allowRetry a second InitAll retries the failed service and finishes the boot", () => {
			const log: string[] = [];
			let attempts = 0;
			const registry = quietRegistry();
			registry.Register("Clock", loggingService(log, "Clock"));
			registry.Register(
				"Data",
				{
					Init() {
						attempts++;
						if (attempts === 1) error("transient");
					},
				},
				{ dependsOn: ["Clock"], allowRetry: true },
			);
			registry.Register("Reward", loggingService(log, "Reward"), { dependsOn: ["Data"] });
			expectKind(
				errorOf(() => registry.InitAll()),
				"ExecutionFailed",
			);
			expect(registry.InitAll()).to.equal(true);
			expect(attempts).to.equal(2);
			expect(log.join(",")).to.equal("Clock.Init,Reward.Init");
			expect(registry.StartAll()).to.equal(true);
		});

		it("after a failed InitAll, StartAll and a second InitAll say whether InitAll can get past the service", () => {
			const stuck = quietRegistry();
			stuck.Register("Data", loggingService([], "Data", 0, "DataStore offline"));
			errorOf(() => stuck.InitAll());
			const refused = expectKind(
				errorOf(() => stuck.StartAll()),
				"NotInitialized",
			);
			expect(contains(refused.message, `"Data"`)).to.equal(true);
			expect(contains(refused.message, "without allowRetry")).to.equal(true);
			expect(contains(refused.message, "call Init")).to.equal(false);
			const again = expectKind(
				errorOf(() => stuck.InitAll()),
				"ExecutionFailed",
			);
			expect(contains(again.message, "without allowRetry")).to.equal(true);

			let attempts = 0;
			const retrying = quietRegistry();
			retrying.Register(
				"Data",
				{
					Init() {
						attempts++;
						if (attempts === 1) error("transient");
					},
				},
				{ allowRetry: true },
			);
			const first = expectKind(
				errorOf(() => retrying.InitAll()),
				"ExecutionFailed",
			);
			expect(contains(first.message, "call InitAll again")).to.equal(true);
			const advice = expectKind(
				errorOf(() => retrying.StartAll()),
				"NotInitialized",
			);
			expect(contains(advice.message, "call InitAll again")).to.equal(true);
			expect(retrying.InitAll()).to.equal(true);
			expect(retrying.StartAll()).to.equal(true);
		});

		it("an InitAll whose thread is cancelled releases a concurrent InitAll with Cancelled naming the service", () => {
			const registry = quietRegistry();
			let attempts = 0;
			registry.Register(
				"Data",
				{
					Init() {
						attempts++;
						if (attempts === 1) task.wait(10);
					},
				},
				{ allowRetry: true },
			);
			const booting = task.spawn(() => registry.InitAll());
			let waiterError: unknown;
			task.spawn(() => {
				waiterError = errorOf(() => registry.InitAll());
			});
			task.wait(1);
			task.cancel(booting);
			task.wait(0.1);
			const err = expectKind(waiterError, "Cancelled");
			expect(contains(err.message, "InitAll")).to.equal(true);
			expect(contains(err.message, `"Data"`)).to.equal(true);
			expect(contains(err.message, "call InitAll again")).to.equal(true);
			expect(registry.GetGuard("Data")!.GetState()).to.equal("Failed");
			// The advice works: the service allows retry, so the boot goes on.
			expect(registry.InitAll()).to.equal(true);
			expect(attempts).to.equal(2);
		});

		it("a StartAll whose thread is cancelled releases a concurrent StartAll with Cancelled naming the service", () => {
			const registry = quietRegistry();
			registry.Register("Arena", {
				Start() {
					task.wait(10);
				},
			});
			registry.InitAll();
			const starting = task.spawn(() => registry.StartAll());
			let waiterError: unknown;
			task.spawn(() => {
				waiterError = errorOf(() => registry.StartAll());
			});
			task.cancel(starting);
			task.wait(0.1);
			const err = expectKind(waiterError, "Cancelled");
			expect(contains(err.message, `StartAll was cancelled at "Arena"`)).to.equal(true);
			expect(contains(err.message, "without allowRetry")).to.equal(true);
			expect(registry.GetGuard("Arena")!.GetState()).to.equal("Failed");
		});

		it("DestroyAll destroys in reverse boot order, once", () => {
			const log: string[] = [];
			const registry = quietRegistry();
			registry.Register("Reward", loggingService(log, "Reward"), { dependsOn: ["Data"] });
			registry.Register("Data", loggingService(log, "Data"));
			registry.InitAll();
			registry.StartAll();
			registry.DestroyAll();
			registry.DestroyAll();
			expect(log.join(",")).to.equal("Data.Init,Reward.Init,Data.Start,Reward.Start,Reward.Destroy,Data.Destroy");
			expect(registry.GetGuard("Data")!.GetState()).to.equal("Destroyed");
		});
	});

	describe("ServiceRegistry startup tree", () => {
		it("prints a tree after StartAll with each service indented under its dependencies and its ms", () => {
			const printed: string[] = [];
			const registry = new ServiceRegistry({ name: "Boot", output: (text) => printed.push(text) });
			const log: string[] = [];
			registry.Register("Data", loggingService(log, "Data", 2));
			registry.Register("Reward", loggingService(log, "Reward"), { dependsOn: ["Data"] });
			registry.InitAll();
			expect(printed.size()).to.equal(0);
			registry.StartAll();
			expect(printed.size()).to.equal(1);
			const tree = printed[0];
			expect(contains(tree, "[Boot] startup tree: 2 services")).to.equal(true);
			expect(contains(tree, "`- Reward")).to.equal(true);
			expect(contains(tree, "2000.0")).to.equal(true);
			const dataAt = tree.find("\nData ", 1, true)[0];
			const rewardAt = tree.find("`- Reward", 1, true)[0];
			expect(dataAt !== undefined && rewardAt !== undefined && dataAt < rewardAt).to.equal(true);
			const report = registry.GetReport();
			expect(report[1].depth).to.equal(1);
			expect(math.abs(report[0].initMs! - 2000) < 50).to.equal(true);
		});
	});
};
