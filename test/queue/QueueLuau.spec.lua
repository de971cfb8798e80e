-- The ExecutionQueue as a Luau caller meets it: ExecutionQueue.new, ':' calls, the '.' slip, bad input
-- as typed errors with nothing changed, and the events in order.
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Guard = require(ReplicatedStorage:WaitForChild("Shared"):WaitForChild("guard"))
local ExecutionQueue = Guard.ExecutionQueue
local GuardError = Guard.GuardError

return function()
	local function expectColonHint(fn, colonForm)
		local ok, err = pcall(fn)
		expect(ok).to.equal(false)
		expect(GuardError.is(err, "InvalidArgument")).to.equal(true)
		expect(string.find(err.message, "call it with ':'", 1, true) ~= nil).to.equal(true)
		expect(string.find(err.message, colonForm, 1, true) ~= nil).to.equal(true)
	end

	local alice = { userId = 1, displayName = "Alice" }

	describe("ExecutionQueue from Luau", function()
		it("ExecutionQueue.new and ExecutionQueue.printSummary are dot statics; ':' methods give two values", function()
			local queue = ExecutionQueue.new({ maxConcurrentExecutions = 1 })
			local ticket, err = queue:RequestExecution("forge", alice, function()
				return "sword"
			end)
			expect(err).to.equal(nil)
			expect(ticket.position).to.equal(0)
			local ok, result = ticket:Await()
			expect(ok).to.equal(true)
			expect(result).to.equal("sword")
			queue:RequestExecution("anvil", { userId = 2, displayName = "Bob" }, function()
				return "nail"
			end)
			expect(queue:FormatSummary({ limit = 1 })).never.to.equal(queue:FormatSummary())
			local printed = {}
			local connection = game:GetService("LogService").MessageOut:Connect(function(message)
				table.insert(printed, message)
			end)
			ExecutionQueue.printSummary(queue)
			ExecutionQueue.printSummary(queue, { limit = 1 })
			task.wait() -- a handler may run later on Roblox (deferred signals)
			connection:Disconnect()
			-- each prints the table FormatSummary makes with the same options
			expect(table.find(printed, queue:FormatSummary())).to.be.ok()
			expect(table.find(printed, queue:FormatSummary({ limit = 1 }))).to.be.ok()
			local bad, problem = pcall(ExecutionQueue.printSummary, "forge")
			expect(bad).to.equal(false)
			expect(GuardError.is(problem, "InvalidArgument")).to.equal(true)
		end)

		it("'.' instead of ':' on the queue and on a ticket is a typed error saying what to write", function()
			local queue = ExecutionQueue.new()
			expectColonHint(function()
				queue.RequestExecution("forge", alice, function() end)
			end, "queue:RequestExecution(")
			expectColonHint(function()
				queue.CancelExecution(1, "exec_1")
			end, "queue:CancelExecution(")
			expectColonHint(function()
				queue.GetExecutionStatus("forge")
			end, "queue:GetExecutionStatus(")
			expectColonHint(function()
				queue.GetExecutionHistory("forge")
			end, "queue:GetExecutionHistory(")
			expectColonHint(function()
				queue.GetStatistics()
			end, "queue:GetStatistics(")
			expectColonHint(function()
				queue.StopRunningExecution("exec_1")
			end, "queue:StopRunningExecution(")
			local ticket = queue:RequestExecution("forge", alice, function()
				task.wait(1)
			end)
			expectColonHint(function()
				ticket.Await()
			end, "ticket:Await()")
			expectColonHint(function()
				ticket.Cancel()
			end, "ticket:Cancel()")
			expect(queue:GetExecutionStatus("forge").activeCount).to.equal(1)
		end)

		it("bad input: RequestExecution returns (nil, InvalidArgument) and nothing changes", function()
			local queue = ExecutionQueue.new({ maxConcurrentExecutions = 1 })
			local fn = function()
				task.wait(1)
			end
			local cases = {
				{ { "", alice, fn }, "roomId" },
				{ { 42, alice, fn }, "roomId" },
				{ { "forge", nil, fn }, "user" },
				{ { "forge", { displayName = "NoId" }, fn }, "user.userId" },
				{ { "forge", { userId = 0 / 0, displayName = "NaN" }, fn }, "user.userId" },
				{ { "forge", { userId = 2 }, fn }, "user.displayName" },
				{ { "forge", alice, "not a function" }, "fn" },
				{ { "forge", alice, fn, { priorty = 1 } }, "options" },
				{ { "forge", alice, fn, { priority = 0 / 0 } }, "options.priority" },
				{ { "forge", alice, fn, { priority = math.huge } }, "options.priority" },
			}
			for _, case in cases do
				local args = case[1]
				local ticket, err = queue:RequestExecution(args[1], args[2], args[3], args[4])
				expect(ticket).to.equal(nil)
				expect(GuardError.is(err, "InvalidArgument")).to.equal(true)
				expect(err.details.argument).to.equal(case[2])
			end
			local _, typo = queue:RequestExecution("forge", alice, fn, { priorty = 1 })
			expect(string.find(typo.message, "did you mean 'priority'", 1, true) ~= nil).to.equal(true)
			expect(queue:GetExecutionStatus("forge").activeCount).to.equal(0)
			expect(queue:GetStatistics().totalExecutions).to.equal(0)
			-- Alice was never marked busy by a refused request.
			expect(queue:RequestExecution("forge", alice, fn)).to.be.ok()
		end)

		it("bad config and bad arguments elsewhere throw InvalidArgument", function()
			local function expectInvalid(fn, argument)
				local ok, err = pcall(fn)
				expect(ok).to.equal(false)
				expect(GuardError.is(err, "InvalidArgument")).to.equal(true)
				expect(err.details.argument).to.equal(argument)
			end
			expectInvalid(function()
				ExecutionQueue.new({ maxConcurrentExecutions = -1 })
			end, "config.maxConcurrentExecutions")
			expectInvalid(function()
				ExecutionQueue.new({ maxQueueSize = -1 })
			end, "config.maxQueueSize")
			expectInvalid(function()
				ExecutionQueue.new({ executionTimeout = 0 / 0 })
			end, "config.executionTimeout")
			expectInvalid(function()
				ExecutionQueue.new({ historySize = 1.5 })
			end, "config.historySize")
			expectInvalid(function()
				ExecutionQueue.new({ maxQueue = 3 })
			end, "config")
			local queue = ExecutionQueue.new()
			expectInvalid(function()
				queue:GetExecutionHistory("forge", -1)
			end, "limit")
			expectInvalid(function()
				queue:GetExecutionStatus("")
			end, "roomId")
			expectInvalid(function()
				queue:CancelExecution(nil, "exec_1")
			end, "userId")
		end)

		it("events fire in order: Queued, Started, then Completed / Failed / TimedOut / Cancelled", function()
			local queue = ExecutionQueue.new({ maxConcurrentExecutions = 1, executionTimeout = 1 })
			local log = {}
			queue.ExecutionQueued:Connect(function(ticket, position)
				table.insert(log, `queued {ticket.displayName} {position}`)
			end)
			queue.ExecutionStarted:Connect(function(ticket)
				table.insert(log, `started {ticket.displayName}`)
			end)
			queue.ExecutionCompleted:Connect(function(ticket, result, executionTime)
				table.insert(log, `completed {ticket.displayName} {result} {executionTime > 0}`)
			end)
			queue.ExecutionFailed:Connect(function(ticket, err)
				table.insert(log, `failed {ticket.displayName} {err.kind}`)
			end)
			queue.ExecutionTimedOut:Connect(function(ticket, err)
				table.insert(log, `timedout {ticket.displayName} {err.kind}`)
			end)
			queue.ExecutionCancelled:Connect(function(ticket, reason)
				table.insert(log, `cancelled {ticket.displayName} {reason}`)
			end)
			local a = queue:RequestExecution("room", { userId = 1, displayName = "A" }, function()
				task.wait(0.2)
				return "ok"
			end)
			local b = queue:RequestExecution("room", { userId = 2, displayName = "B" }, function()
				error("bad")
			end)
			local c = queue:RequestExecution("room", { userId = 3, displayName = "C" }, function()
				task.wait(5)
			end)
			local d = queue:RequestExecution("room", { userId = 4, displayName = "D" }, function() end)
			d:Cancel()
			a:Await()
			c:Await()
			expect(table.concat(log, " | ")).to.equal(table.concat({
				"queued A 0",
				"started A",
				"queued B 1",
				"queued C 2",
				"queued D 3",
				"cancelled D Cancelled",
				"completed A ok true",
				"started B",
				"failed B ExecutionFailed",
				"started C",
				"timedout C Timeout",
			}, " | "))
		end)
	end)
end
