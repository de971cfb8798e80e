/// <reference types="@rbxts/testez/globals" />
import { ExecutionGuard, GuardError } from "shared/guard";

interface Writable {
	message: string;
	details: { cause: unknown };
}

export = () => {
	describe("getters hand out copies", () => {
		it("changing the lastError GetAllRecords returned changes neither the stored error nor the summary", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("bad", () => error("boom"));
			const handedOut = guard.GetAllRecords().get("bad")!.lastError as unknown as Writable;
			handedOut.message = "rewritten";
			handedOut.details.cause = "rewritten";
			const again = guard.GetAllRecords().get("bad")!.lastError!;
			expect(GuardError.is(again, "ExecutionFailed")).to.equal(true);
			expect(again.message.find("boom", 1, true)[0] !== undefined).to.equal(true);
			expect(tostring(again.details.cause).find("boom", 1, true)[0] !== undefined).to.equal(true);
			expect(guard.FormatSummary().find("rewritten", 1, true)[0]).to.equal(undefined);
		});

		it("changing the error RunOnce returned does not rewrite the key's stored error", () => {
			const guard = new ExecutionGuard();
			const [, err] = guard.RunOnce("bad", () => error("boom"));
			(err as unknown as Writable).message = "rewritten";
			expect(
				guard.GetAllRecords().get("bad")!.lastError!.message.find("boom", 1, true)[0] !== undefined,
			).to.equal(true);
			expect(guard.FormatSummary().find("rewritten", 1, true)[0]).to.equal(undefined);
		});

		it("changing the records map, a record or the analytics changes nothing in the guard", () => {
			const guard = new ExecutionGuard();
			guard.RunOnce("a", () => 1);
			const records = guard.GetAllRecords();
			records.delete("a");
			const record = guard.GetAllRecords().get("a")! as unknown as { status: string; executionCount: number };
			record.status = "Idle";
			record.executionCount = 99;
			const analytics = guard.GetAnalytics();
			(analytics.global as { totalExecutions: number }).totalExecutions = 99;
			(analytics.keys as Map<string, unknown>).delete("a");
			expect(guard.GetStatus("a")).to.equal("Completed");
			expect(guard.GetAllRecords().get("a")!.executionCount).to.equal(1);
			expect(guard.GetAnalytics().global.totalExecutions).to.equal(1);
			expect(guard.GetAnalytics().keys.get("a")!.executions).to.equal(1);
		});
	});
};
