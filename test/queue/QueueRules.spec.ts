/// <reference types="@rbxts/testez/globals" />
import { ExecutionQueue, ExecutionTicket, GuardError, QueueUser } from "shared/guard";

function user(id: number): QueueUser {
	return { userId: id, displayName: `Player${id}` };
}

/** A job that waits until `release()` is called, then returns `value`. */
function gate() {
	let open = false;
	return {
		job: (value: unknown) => () => {
			while (!open) task.wait();
			return value;
		},
		release: () => {
			open = true;
		},
	};
}

export = () => {
	describe("ExecutionQueue rules (seed defaults)", () => {
		it("runs at most 3 per room at once and queues 10 more; the 14th is refused with QueueFull", () => {
			const queue = new ExecutionQueue();
			const door = gate();
			const tickets = new Array<ExecutionTicket>();
			for (let i = 1; i <= 13; i++) {
				const [ticket, err] = queue.RequestExecution("forge", user(i), door.job(i));
				expect(err).to.equal(undefined);
				tickets.push(ticket!);
			}
			expect(tickets[0].position).to.equal(0);
			expect(tickets[2].position).to.equal(0);
			expect(tickets[3].position).to.equal(1);
			expect(tickets[12].position).to.equal(10);
			const status = queue.GetExecutionStatus("forge");
			expect(status.activeCount).to.equal(3);
			expect(status.queueLength).to.equal(10);
			expect(status.maxConcurrent).to.equal(3);
			const [refused, full] = queue.RequestExecution("forge", user(14), door.job(14));
			expect(refused).to.equal(undefined);
			expect(GuardError.is(full, "QueueFull")).to.equal(true);
			expect(full!.details.key).to.equal("forge");
			// Nothing changed by the refusal, and other rooms have their own limits.
			expect(queue.GetExecutionStatus("forge").queueLength).to.equal(10);
			expect(queue.RequestExecution("lobby", user(14), () => "ok")[0]!.status).to.equal("Completed");
			door.release();
			for (const ticket of tickets) expect(ticket.Await()[0]).to.equal(true);
			expect(queue.GetStatistics("forge").completedExecutions).to.equal(13);
		});

		it("never runs more than maxConcurrentExecutions at once, and starts the next in the frame a slot frees", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 2, maxQueueSize: 20 });
			let inside = 0;
			let most = 0;
			const ended = new Map<string, number>();
			const started = new Map<string, number>();
			queue.ExecutionStarted.Connect((ticket) => started.set(ticket.id, os.clock()));
			queue.ExecutionCompleted.Connect((ticket) => ended.set(ticket.id, os.clock()));
			const tickets = new Array<ExecutionTicket>();
			for (let i = 1; i <= 8; i++) {
				const [ticket] = queue.RequestExecution("arena", user(i), () => {
					inside += 1;
					most = math.max(most, inside);
					task.wait(0.1 + (i % 3) * 0.05);
					inside -= 1;
				});
				tickets.push(ticket!);
			}
			for (const ticket of tickets) ticket.Await();
			expect(most).to.equal(2);
			// Job 3 started at the very clock reading job 1 or job 2 ended at.
			const third = started.get(tickets[2].id)!;
			expect(third === ended.get(tickets[0].id) || third === ended.get(tickets[1].id)).to.equal(true);
		});

		it("one job per user in any room: a second request is refused with UserBusy while the first is queued or running", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1 });
			const door = gate();
			const [first] = queue.RequestExecution("forge", user(1), door.job(1));
			const [queued] = queue.RequestExecution("forge", user(2), door.job(2));
			const [again, busy] = queue.RequestExecution("arena", user(1), () => 1);
			expect(again).to.equal(undefined);
			expect(GuardError.is(busy, "UserBusy")).to.equal(true);
			expect(busy!.details.executionId).to.equal(first!.id);
			const [twice, busyQueued] = queue.RequestExecution("forge", user(2), () => 1);
			expect(twice).to.equal(undefined);
			expect(GuardError.is(busyQueued, "UserBusy")).to.equal(true);
			door.release();
			first!.Await();
			queued!.Await();
			// Free again once the job ended.
			expect(queue.RequestExecution("arena", user(1), () => 1)[0]).to.be.ok();
		});

		it("higher priority starts first; FIFO within a priority", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1 });
			const door = gate();
			const order = new Array<number>();
			const [blocker] = queue.RequestExecution("room", user(100), door.job(0));
			const priorities = [0, 5, 0, 5, 10, 0];
			const tickets = new Array<ExecutionTicket>();
			priorities.forEach((priority, index) => {
				const [ticket] = queue.RequestExecution("room", user(index + 1), () => order.push(index + 1), {
					priority,
				});
				tickets.push(ticket!);
			});
			// Positions at request time count the jobs that will go first.
			expect(tickets.map((ticket) => ticket.position).join(",")).to.equal("1,1,3,2,1,6");
			const queued = queue.GetExecutionStatus("room").queued;
			expect(queued.map((entry) => entry.userId).join(",")).to.equal("5,2,4,1,3,6");
			expect(queued.map((entry) => entry.position).join(",")).to.equal("1,2,3,4,5,6");
			door.release();
			blocker!.Await();
			for (const ticket of tickets) ticket.Await();
			expect(order.join(",")).to.equal("5,2,4,1,3,6");
		});

		it("a user cancels only their own queued job; a running job cannot be cancelled through CancelExecution", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1 });
			const door = gate();
			const [running] = queue.RequestExecution("forge", user(1), door.job("sword"));
			const [waiting] = queue.RequestExecution("forge", user(2), door.job("shield"));
			expect(queue.CancelExecution(1, running!.id)).to.equal(false); // own, but running
			expect(queue.CancelExecution(1, waiting!.id)).to.equal(false); // someone else's
			expect(queue.CancelExecution(2, "exec_999")).to.equal(false); // unknown
			expect(waiting!.status).to.equal("Queued");
			expect(running!.status).to.equal("Running");
			expect(queue.CancelExecution(2, waiting!.id)).to.equal(true);
			expect(waiting!.status).to.equal("Cancelled");
			expect(queue.CancelExecution(2, waiting!.id)).to.equal(false); // already cancelled
			const [ok, err] = waiting!.Await();
			expect(ok).to.equal(false);
			expect(GuardError.is(err, "Cancelled")).to.equal(true);
			expect((err as GuardError).details.reason).to.equal("Cancelled");
			expect(queue.GetExecutionStatus("forge").queueLength).to.equal(0);
			// ticket:Cancel() follows the same rule.
			expect(running!.Cancel()).to.equal(false);
			door.release();
			expect(running!.Await()[1]).to.equal("sword");
			// The cancelled user may queue again.
			expect(queue.RequestExecution("forge", user(2), () => 1)[0]).to.be.ok();
		});

		it("StopRunningExecution (server code) stops a running job and frees its slot and user at once", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1 });
			let reachedEnd = false;
			const [running] = queue.RequestExecution("arena", user(1), () => {
				task.wait(5);
				reachedEnd = true;
			});
			const [following] = queue.RequestExecution("arena", user(2), () => "next");
			expect(queue.StopRunningExecution(following!.id)).to.equal(false); // queued, not running
			expect(queue.StopRunningExecution(running!.id)).to.equal(true);
			expect(running!.status).to.equal("Cancelled");
			expect(following!.status).to.equal("Completed"); // started in the same frame
			const [ok, err] = running!.Await();
			expect(ok).to.equal(false);
			expect((err as GuardError).details.reason).to.equal("Stopped");
			expect(queue.RequestExecution("arena", user(1), () => 1)[0]).to.be.ok();
			task.wait(6);
			expect(reachedEnd).to.equal(false); // its thread was cancelled
			expect(queue.StopRunningExecution(running!.id)).to.equal(false);
		});

		it("status, history and statistics have the seed's shapes", () => {
			const queue = new ExecutionQueue({ maxConcurrentExecutions: 1 });
			const door = gate();
			const [a] = queue.RequestExecution("room", { userId: "u1", displayName: "Alice" }, door.job("A"));
			queue.RequestExecution("room", { userId: "u2", displayName: "Bob" }, () => error("boom"));
			const status = queue.GetExecutionStatus("room");
			expect(status.active.size()).to.equal(1);
			expect(status.active[0].userId).to.equal("u1");
			expect(status.active[0].displayName).to.equal("Alice");
			expect(typeIs(status.active[0].startTime, "number")).to.equal(true);
			expect(status.queued[0].userId).to.equal("u2");
			expect(status.queued[0].displayName).to.equal("Bob");
			expect(status.queued[0].position).to.equal(1);
			expect(typeIs(status.queued[0].timestamp, "number")).to.equal(true);
			expect(status.queueLength).to.equal(1);
			expect(status.activeCount).to.equal(1);
			const running = queue.GetStatistics("room");
			expect(running.totalExecutions).to.equal(1);
			expect(running.activeExecutions).to.equal(1);
			door.release();
			a!.Await();
			task.wait();
			const history = queue.GetExecutionHistory("room");
			expect(history.size()).to.equal(2);
			expect(history[0].displayName).to.equal("Bob"); // newest first
			expect(history[0].status).to.equal("Failed");
			expect(GuardError.is(history[0].error, "ExecutionFailed")).to.equal(true);
			expect(history[1].id).to.equal(a!.id);
			expect(history[1].status).to.equal("Completed");
			expect(history[1].error).to.equal(undefined);
			expect(history[1].executionTime > 0).to.equal(true);
			expect(history[1].finishedAt >= history[1].executionTime).to.equal(true);
			expect(queue.GetExecutionHistory("room", 1).size()).to.equal(1);
			const stats = queue.GetStatistics("room");
			expect(stats.totalExecutions).to.equal(2);
			expect(stats.activeExecutions).to.equal(0);
			expect(stats.completedExecutions).to.equal(1);
			expect(stats.failedExecutions).to.equal(1);
			expect(stats.successRate).to.equal(50);
			const empty = queue.GetStatistics("nowhere");
			expect(empty.totalExecutions).to.equal(0);
			expect(empty.successRate).to.equal(0);
		});

		it("successRate is a percentage with two decimals, as the seed prints 96.67", () => {
			const queue = new ExecutionQueue({ historySize: 0 });
			for (let i = 1; i <= 30; i++) {
				queue.RequestExecution("room", user(i), i === 7 ? () => error("x") : () => i);
			}
			const stats = queue.GetStatistics();
			expect(stats.totalExecutions).to.equal(30);
			expect(stats.failedExecutions).to.equal(1);
			expect(stats.successRate).to.equal(96.67);
		});
	});
};
