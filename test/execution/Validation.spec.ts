/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard, GuardError } from "shared/guard";

export = () => {
	// Inside the spec function: TestEZ gives `expect` to this function's environment only.
	/** Calls `call`, expects an InvalidArgument whose message contains every fragment, and returns it. */
	function expectInvalid(call: () => unknown, ...fragments: string[]) {
		const [ok, err] = pcall(call);
		expect(ok).to.equal(false);
		expect(GuardError.is(err, "InvalidArgument")).to.equal(true);
		const message = (err as GuardError).message;
		for (const fragment of fragments) {
			if (message.find(fragment, 1, true)[0] === undefined) error(`message "${message}" lacks "${fragment}"`);
		}
	}

	function expectUntouched(guard: ExecutionGuard) {
		expect(guard.GetAllRecords().size()).to.equal(0);
		expect(guard.GetAnalytics().global.totalExecutions).to.equal(0);
	}

	describe("bad input", () => {
		it("an empty key is refused, naming the key", () => {
			const guard = new ExecutionGuard();
			expectInvalid(() => guard.RunOnce("", () => 1), "RunOnce", "key", "empty");
			expectUntouched(guard);
		});

		it("a non-string key is refused, showing what was given", () => {
			const guard = new ExecutionGuard();
			expectInvalid(() => guard.RunOnce(42 as unknown as string, () => 1), "key", "42", "number");
			expectInvalid(() => guard.GetStatus(undefined as unknown as string), "GetStatus", "key");
			expectUntouched(guard);
		});

		it("a key longer than 100 characters is refused, naming the limit", () => {
			const guard = new ExecutionGuard();
			expectInvalid(() => guard.RunOnce(string.rep("x", 101), () => 1), "at most 100 characters", "101");
			expect(guard.RunOnce(string.rep("x", 100), () => 1)[0]).to.equal(true);
		});

		it("a missing fn is refused", () => {
			const guard = new ExecutionGuard();
			expectInvalid(
				() => guard.RunOnce("k", undefined as unknown as Callback),
				"fn",
				"must be a function",
				"nil",
			);
			expectUntouched(guard);
		});

		it("negative, zero, NaN and infinite timeouts are refused", () => {
			const guard = new ExecutionGuard();
			expectInvalid(() => guard.RunOnce("k", () => 1, { timeout: -1 }), "timeout", "-1");
			expectInvalid(() => guard.RunOnce("k", () => 1, { timeout: 0 }), "timeout", "> 0");
			expectInvalid(() => guard.RunOnce("k", () => 1, { timeout: 0 / 0 }), "timeout", "finite");
			expectInvalid(() => guard.RunOnce("k", () => 1, { timeout: math.huge }), "timeout", "finite");
			expectInvalid(() => guard.RunOnce("k", () => 1, { join: true, joinTimeout: -2 }), "joinTimeout");
			expectInvalid(() => guard.AcquireLock("k", -1), "AcquireLock", "timeout");
			expectUntouched(guard);
		});

		it("AcquireLock's bad key or timeout names AcquireLock (checked once, not again by the lock behind it) and takes nothing", () => {
			const guard = new ExecutionGuard();
			const calls: Array<[() => unknown, string]> = [
				[() => guard.AcquireLock(""), "key"],
				[() => guard.AcquireLock(string.rep("k", 101), 5), "key"],
				[() => guard.AcquireLock(7 as unknown as string, 0), "key"],
				[() => guard.AcquireLock("k", -1), "timeout"],
				[() => guard.AcquireLock("k", 0 / 0), "timeout"],
			];
			for (const [call, argument] of calls) {
				expectInvalid(call, "ExecutionGuard.AcquireLock", argument);
				const [, err] = pcall(call);
				const message = (err as GuardError).message;
				if (
					message.find("TryAcquire", 1, true)[0] !== undefined ||
					message.find("KeyedLock", 1, true)[0] !== undefined
				)
					error(`message "${message}" names the lock behind AcquireLock`);
			}
			expect(guard.IsLocked("k")).to.equal(false);
			expect(guard.AcquireLock("k")).to.equal(true);
			guard.ReleaseLock("k");
			expectUntouched(guard);
		});

		it("an unknown option is refused with a did-you-mean", () => {
			const guard = new ExecutionGuard();
			expectInvalid(
				() => guard.RunOnce("k", () => 1, { timout: 5 } as never),
				"unknown option 'timout'",
				"did you mean 'timeout'?",
			);
			expectInvalid(() => guard.RunOnce("k", () => 1, { zzzzzzzz: 1 } as never), "known options:");
			expectUntouched(guard);
		});

		it("an option of the wrong type is refused", () => {
			const guard = new ExecutionGuard();
			expectInvalid(() => guard.RunOnce("k", () => 1, { allowRerun: "yes" } as never), "allowRerun", "boolean");
			expectInvalid(() => guard.RunOnce("k", () => 1, { onTimeout: 5 } as never), "onTimeout", "function");
			expectInvalid(() => guard.RunOnce("k", () => 1, "fast" as never), "options must be a table");
			expectUntouched(guard);
		});

		it("bad input leaves a completed key as it was", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("k", () => "kept");
			expectInvalid(() => guard.RunOnce("k", () => 1, { allowRerun: true, timeout: -5 }), "timeout");
			expect(guard.GetResult("k")).to.equal("kept");
			expect(guard.GetAllRecords().get("k")!.executionCount).to.equal(1);
		});

		it("a completed key with a cached result still refuses a bad fn or bad options", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("k", () => "kept");
			expectInvalid(
				() => guard.RunOnce("k", "not a function" as unknown as Callback),
				"fn",
				"must be a function",
			);
			expectInvalid(() => guard.RunOnce("k", () => 1, { timout: 5 } as never), "unknown option 'timout'");
			expectInvalid(() => guard.RunOnce("k", () => 1, { join: "yes" } as never), "join", "boolean");
			expect(guard.GetAnalytics().keys.get("k")!.cacheHits).to.equal(0);
			const [ran, cached] = guard.RunOnce("k", () => 1, { join: true });
			expect(ran).to.equal(false);
			expect(cached).to.equal("kept");
		});

		it("a 10,000-character key, prefix or value is shown shortened in every error", () => {
			const guard = new ExecutionGuard();
			const long = string.rep("x", 10000);
			const calls: Array<[string, () => unknown]> = [
				["RunOnce", () => guard.RunOnce(long, () => 1)],
				["RunOnce fn", () => guard.RunOnce("k", long as unknown as Callback)],
				["RunOnce option", () => guard.RunOnce("k", () => 1, { allowRerun: long } as never)],
				["RunOnce option name", () => guard.RunOnce("k", () => 1, { [long]: 1 } as never)],
				["RunOnceAsync", () => guard.RunOnceAsync(long, () => 1)],
				["Cancel", () => guard.Cancel(long)],
				["AcquireLock", () => guard.AcquireLock(long, 5)],
				["AcquireLock timeout", () => guard.AcquireLock("k", long as unknown as number)],
				["ReleaseLock", () => guard.ReleaseLock(long)],
				["IsLocked", () => guard.IsLocked(long)],
				["GetResult", () => guard.GetResult(long)],
				["HasResult", () => guard.HasResult(long)],
				["ClearResult", () => guard.ClearResult(long)],
				["ClearPrefix", () => guard.ClearPrefix(long)],
				["GetStatus", () => guard.GetStatus(long)],
				["FormatSummary", () => guard.FormatSummary({ prefix: long })],
				["new", () => new ExecutionGuard(long as unknown as boolean)],
			];
			for (const [name, call] of calls) {
				const [ok, err] = pcall(call);
				if (ok || !GuardError.is(err, "InvalidArgument"))
					error(`${name}: no InvalidArgument (${tostring(err)})`);
				if (err.message.size() > 300) error(`${name}: a ${err.message.size()}-character message`);
				if (err.message.find("10000 characters", 1, true)[0] === undefined) {
					error(`${name}: "${err.message}" does not say how long the value was`);
				}
				const given = err.details.given;
				if (typeIs(given, "string") && given.size() > 100)
					error(`${name}: details.given is ${given.size()} long`);
			}
			expectUntouched(guard);
		});

		it("every InvalidArgument has the toolkit's details shape: argument, given, key", () => {
			const guard = new ExecutionGuard();
			const [, err] = pcall(() => guard.RunOnce("k", () => 1, { timeout: -1 }));
			const details = (err as GuardError).details;
			expect(details.argument).to.equal("options.timeout");
			expect(details.given).to.equal(-1);
			expect(details.key).to.equal("k");
			const [, keyErr] = pcall(() => guard.AcquireLock(""));
			expect((keyErr as GuardError).details.argument).to.equal("key");
			const [, prefixErr] = pcall(() => guard.ClearPrefix(5 as unknown as string));
			expect((prefixErr as GuardError).details.argument).to.equal("prefix");
		});

		it("bad constructor config and ClearPrefix input are refused", () => {
			expectInvalid(() => new ExecutionGuard(false, { resultTtl: -1 }), "resultTtl");
			expectInvalid(() => new ExecutionGuard(false, { maxRecords: 0.5 }), "maxRecords", "whole number");
			expectInvalid(() => new ExecutionGuard(false, { maxRecord: 5 } as never), "did you mean 'maxRecords'?");
			expectInvalid(() => new ExecutionGuard("yes" as unknown as boolean), "debug must be a boolean");
			expectInvalid(() => new ExecutionGuard().ClearPrefix(""), "ClearPrefix", "prefix");
		});
	});
};
