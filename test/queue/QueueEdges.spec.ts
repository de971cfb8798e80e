/// <reference types="@rbxts/testez/globals" />
import { ExecutionQueue, ExecutionTicket, GuardError, QueueUser } from "shared/guard";

function user(id: number): QueueUser {
	return { userId: id, displayName: `Player${id}` };
}

export = () => {
	describe("ExecutionQueue at the edges", () => {
		it("a job past its timeout is stopped: thread cancelled, slot and user free at once, ticket (false, Timeout), a late finish changes nothing", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1, executionTimeout: 1 });
			let lateFinish = false;
			const completed = new Array<string>();
			const timedOut = new Array<string>();
			queue.ExecutionCompleted.Connect((ticket) => completed.push(ticket.id));
			queue.ExecutionTimedOut.Connect((ticket) => timedOut.push(ticket.id));
			const [slow] = queue.RequestExecution("arena", user(1), () => {
				task.wait(3);
				lateFinish = true;
				return "late";
			});
			const [following] = queue.RequestExecution("arena", user(2), () => {
				task.wait(0.1);
				return "next";
			});
			const [ok, err] = slow!.Await();
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "Timeout")).to.equal(true);
			expect(slow!.status).to.equal("TimedOut");
			// Slot: the next job started in the timeout's frame. User: free at once.
			expect(following!.status).to.equal("Running");
			expect(queue.GetExecutionStatus("arena").activeCount).to.equal(1);
			const [again, busy] = queue.RequestExecution("lobby", user(1), () => 1);
			expect(busy).to.equal(undefined);
			expect(again!.status).to.equal("Completed");
			task.wait(3);
			expect(lateFinish).to.equal(false);
			expect(slow!.status).to.equal("TimedOut");
			expect(timedOut.join(",")).to.equal(slow!.id);
			expect(completed.indexOf(slow!.id)).to.equal(-1);
			const stats = queue.GetStatistics("arena");
			expect(stats.failedExecutions).to.equal(1);
			expect(stats.completedExecutions).to.equal(1);
			expect(queue.GetExecutionHistory("arena")[1].status).to.equal("TimedOut");
		});

		it("the timeout fires within a frame of executionTimeout after the start", () => {
			const queue = new ExecutionQueue({ executionTimeout: 2 });
			const [ticket] = queue.RequestExecution("room", user(1), () => task.wait(10));
			const startedAt = os.clock();
			ticket!.Await();
			const ran = os.clock() - startedAt;
			expect(ran >= 2 - 1e-3).to.equal(true);
			expect(ran < 2 + 1 / 30).to.equal(true);
		});

		it("a failing job keeps its error and traceback, and the next queued job starts in the same frame", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1 });
			let nextStartedAt = -1;
			let failedAt = -2;
			queue.ExecutionFailed.Connect(() => (failedAt = os.clock()));
			const [failing] = queue.RequestExecution("forge", user(1), () => {
				task.wait(0.2);
				error("the anvil broke");
			});
			const [following] = queue.RequestExecution("forge", user(2), () => {
				nextStartedAt = os.clock();
				return "ok";
			});
			const [ok, err] = failing!.Await();
			expect(ok).to.equal(false);
			const failure = err as GuardError;
			expect(failure.kind).to.equal("ExecutionFailed");
			expect(tostring(failure.details.cause).find("the anvil broke")[0] !== undefined).to.equal(true);
			expect(typeIs(failure.details.traceback, "string")).to.equal(true);
			expect((failure.details.traceback as string).find("QueueEdges")[0] !== undefined).to.equal(true);
			expect(following!.status).to.equal("Completed");
			expect(nextStartedAt).to.equal(failedAt);
		});

		it("a user who leaves: their queued job is cancelled (reason Left); a running one finishes", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1 });
			const [running] = queue.RequestExecution("forge", user(1), () => {
				task.wait(0.5);
				return "crafted";
			});
			const [queued] = queue.RequestExecution("forge", user(2), () => "never");
			const reasons = new Array<string>();
			queue.ExecutionCancelled.Connect((ticket, reason) => reasons.push(`${ticket.id}:${reason}`));
			expect(queue.ReleaseUser(2)).to.equal(true);
			expect(queued!.status).to.equal("Cancelled");
			expect(((queued!.Await()[1] as GuardError).details as { reason: string }).reason).to.equal("Left");
			expect(queue.ReleaseUser(1)).to.equal(false);
			expect(running!.status).to.equal("Running");
			expect(running!.Await()[1]).to.equal("crafted");
			expect(reasons.join(",")).to.equal(`${queued!.id}:Left`);
			expect(queue.ReleaseUser(3)).to.equal(false);
		});

		it("rooms with nothing queued, running or in history take no memory; history past its retention is swept", () => {
			const queue = new ExecutionQueue({ historyRetention: 5, cleanupInterval: 1 });
			for (let room = 1; room <= 50; room++) {
				queue.RequestExecution(`room_${room}`, user(room), () => task.wait(0.1));
			}
			expect(queue.FormatSummary().find("50 rooms")[0] !== undefined).to.equal(true);
			task.wait(1);
			expect(queue.GetExecutionHistory("room_7").size()).to.equal(1);
			task.wait(6);
			expect(queue.GetExecutionHistory("room_7").size()).to.equal(0);
			expect(queue.FormatSummary().find("0 rooms")[0] !== undefined).to.equal(true);
			// Without history a room goes the moment its last job ends.
			const bare = new ExecutionQueue({ historySize: 0 });
			const [ticket] = bare.RequestExecution("solo", user(1), () => task.wait(0.1));
			expect(bare.FormatSummary().find("1 rooms")[0] !== undefined).to.equal(true);
			ticket!.Await();
			expect(bare.FormatSummary().find("0 rooms")[0] !== undefined).to.equal(true);
		});

		it("history keeps at most historySize per room, newest first", () => {
			const queue = new ExecutionQueue({ historySize: 3 });
			const ids = new Array<string>();
			for (let i = 1; i <= 7; i++) ids.push(queue.RequestExecution("room", user(i), () => i)[0]!.id);
			const history = queue.GetExecutionHistory("room");
			expect(history.map((entry) => entry.id).join(",")).to.equal([ids[6], ids[5], ids[4]].join(","));
		});

		it("estimated wait per queued ticket: its turn times the room's recent mean execution time", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 2, maxQueueSize: 10 });
			const first = queue.RequestExecution("room", user(1), () => task.wait(1))[0]!;
			const tickets = new Array<ExecutionTicket>();
			for (let i = 2; i <= 6; i++) tickets.push(queue.RequestExecution("room", user(i), () => task.wait(1))[0]!);
			// Before any job finished there is no estimate for a queued one.
			expect(tickets[1].GetEstimatedWait()).to.equal(undefined);
			expect(first.GetEstimatedWait()).to.equal(0);
			first.Await();
			task.wait();
			// Now running: 3 and 4 (after 1 and 2); queued 5, 6 → positions 1, 2 → one turn of ~1 s.
			const queuedTicket = tickets[3];
			expect(queuedTicket.GetPosition()).to.equal(1);
			const estimate = queuedTicket.GetEstimatedWait()!;
			expect(math.abs(estimate - 1) < 0.1).to.equal(true);
			expect(tickets[4].GetPosition()).to.equal(2);
			expect(math.abs(tickets[4].GetEstimatedWait()! - 1) < 0.1).to.equal(true);
			for (const ticket of tickets) ticket.Await();
			expect(queuedTicket.GetPosition()).to.equal(0);
		});

		it("an awaiting thread that was killed is skipped; Await from the job itself is Reentrant", () => {
			const queue = new ExecutionQueue();
			let selfAwait: unknown;
			const [ticket] = queue.RequestExecution("room", user(1), (own) => {
				selfAwait = own.Await()[1];
				task.wait(0.5);
				return "done";
			});
			expect(GuardError.is(selfAwait, "Reentrant")).to.equal(true);
			let resumed = false;
			const waiter = task.spawn(() => {
				ticket!.Await();
				resumed = true;
			});
			task.cancel(waiter);
			expect(ticket!.Await()[1]).to.equal("done");
			task.wait();
			expect(resumed).to.equal(false);
		});

		it("a job that kept its thread and cancels or resumes it after it ended does not break the next jobs", () => {
			const queue = new ExecutionQueue();
			let kept: thread | undefined;
			queue.RequestExecution("room", user(1), () => (kept = coroutine.running()));
			task.cancel(kept!);
			expect(queue.RequestExecution("room", user(2), () => "after cancel")[0]!.Await()[1]).to.equal(
				"after cancel",
			);
			queue.RequestExecution("room", user(3), () => (kept = coroutine.running()));
			coroutine.resume(kept!, "not a job");
			expect(queue.RequestExecution("room", user(4), () => "after resume")[0]!.Await()[1]).to.equal(
				"after resume",
			);
			const [yielding] = queue.RequestExecution("room", user(5), () => {
				task.wait(0.1);
				return "yielded";
			});
			expect(yielding!.Await()[1]).to.equal("yielded");
		});

		it("Destroy cancels queued jobs, stops running ones, and refuses later requests", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1 });
			const [running] = queue.RequestExecution("room", user(1), () => task.wait(5));
			const [queued] = queue.RequestExecution("room", user(2), () => 1);
			queue.Destroy();
			expect(running!.status).to.equal("Cancelled");
			expect(queued!.status).to.equal("Cancelled");
			const [none, err] = queue.RequestExecution("room", user(3), () => 1);
			expect(none).to.equal(undefined);
			expect(GuardError.is(err, "Destroyed")).to.equal(true);
			queue.Destroy();
		});
	});
};
