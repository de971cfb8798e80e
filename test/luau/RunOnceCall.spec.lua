-- Each guard holds its own RunOnce (a closure on the instance, for the cached hit's speed). What a
-- Luau user can do with it must behave as a class method would: the same checks on every call, the
-- same counts on a debug guard, a call through another guard, the ':' error from the class table,
-- and the record map followed when the store rebuilds it.
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Guard = require(ReplicatedStorage:WaitForChild("Shared"):WaitForChild("guard"))
local ExecutionGuard = Guard.ExecutionGuard
local GuardError = Guard.GuardError

local function work()
	return 42
end

return function()
	describe("RunOnce as each guard holds it (Luau)", function()
		it("refuses a non-function fn on a completed key, before and after hits with a remembered function", function()
			local guard = ExecutionGuard.new(false)
			guard:RunOnce("k", work)
			local okNil, errNil = pcall(function()
				return guard:RunOnce("k", nil)
			end)
			expect(okNil).to.equal(false)
			expect(GuardError.is(errNil, "InvalidArgument")).to.equal(true)
			guard:RunOnce("k", work)
			guard:RunOnce("k", work)
			for _, bad in { "work", 5, true } do
				local ok, err = pcall(function()
					return guard:RunOnce("k", bad)
				end)
				expect(ok).to.equal(false)
				expect(GuardError.is(err, "InvalidArgument")).to.equal(true)
				expect(err.details.argument).to.equal("fn")
			end
			local ok, err = pcall(function()
				return guard:RunOnce("k", nil)
			end)
			expect(ok).to.equal(false)
			expect(GuardError.is(err, "InvalidArgument")).to.equal(true)
			expect(guard:GetAnalytics().keys["k"].cacheHits).to.equal(2)
		end)

		it("counts hits with fresh closures and with one remembered function alike", function()
			local guard = ExecutionGuard.new(false)
			guard:RunOnce("k", work)
			for _ = 1, 3 do
				local ran, value = guard:RunOnce("k", function()
					return 0
				end)
				expect(ran).to.equal(false)
				expect(value).to.equal(42)
			end
			for _ = 1, 4 do
				local ran, value = guard:RunOnce("k", work)
				expect(ran).to.equal(false)
				expect(value).to.equal(42)
			end
			expect(guard:GetAnalytics().keys["k"].cacheHits).to.equal(7)
			expect(guard:GetAnalytics().global.blockedExecutions).to.equal(7)
		end)

		it("a debug guard answers and counts every hit with one function, the first included", function()
			local guard = ExecutionGuard.new(true)
			guard:RunOnce("dbg", work)
			for _ = 1, 3 do
				local ran, value = guard:RunOnce("dbg", work)
				expect(ran).to.equal(false)
				expect(value).to.equal(42)
			end
			expect(guard:GetAnalytics().keys["dbg"].cacheHits).to.equal(3)
		end)

		it("a debug guard prints its run and every cached hit, each naming the key (read through LogService)", function()
			local lines = {}
			local connection = game:GetService("LogService").MessageOut:Connect(function(message)
				if string.find(message, "[ExecutionGuard]", 1, true) then
					table.insert(lines, message)
				end
			end)
			local guard = ExecutionGuard.new(true)
			guard:RunOnce("dbg_print", work)
			for _ = 1, 3 do
				guard:RunOnce("dbg_print", work)
			end
			-- a quiet guard prints nothing for the same calls
			local quiet = ExecutionGuard.new(false)
			quiet:RunOnce("dbg_quiet", work)
			quiet:RunOnce("dbg_quiet", work)
			task.wait() -- a handler may run later on Roblox (deferred signals)
			connection:Disconnect()
			local hits = 0
			for _, line in lines do
				expect(string.find(line, "dbg_quiet", 1, true)).to.equal(nil)
				if string.find(line, '"dbg_print": completed, returning the cached result', 1, true) then
					hits += 1
				end
			end
			expect(hits).to.equal(3)
			expect(string.find(lines[1], '"dbg_print": running', 1, true)).to.be.ok()
		end)

		it("guardA.RunOnce(guardB, ...) runs on guardB, as a class method would", function()
			local guardA = ExecutionGuard.new(false)
			local guardB = ExecutionGuard.new(false)
			local ran, value = guardA.RunOnce(guardB, "shared_key", work)
			expect(ran).to.equal(true)
			expect(value).to.equal(42)
			expect(guardB:GetStatus("shared_key")).to.equal("Completed")
			expect(guardA:GetStatus("shared_key")).to.equal("Idle")
			local again, cached = guardA.RunOnce(guardB, "shared_key", work)
			expect(again).to.equal(false)
			expect(cached).to.equal(42)
		end)

		it("ExecutionGuard.RunOnce(key, fn) on the class table says to call it with ':'", function()
			local ok, err = pcall(ExecutionGuard.RunOnce, "k", work)
			expect(ok).to.equal(false)
			expect(GuardError.is(err, "InvalidArgument")).to.equal(true)
			expect(err.details.argument).to.equal("self")
			expect(string.find(err.message, "call it with ':'", 1, true)).to.be.ok()
			local guard = ExecutionGuard.new(false)
			local ran, value = ExecutionGuard.RunOnce(guard, "through_class", work)
			expect(ran).to.equal(true)
			expect(value).to.equal(42)
		end)

		it("keeps answering from the store's map after ClearPrefix rebuilds it", function()
			local guard = ExecutionGuard.new(false)
			for i = 1, 600 do
				guard:RunOnce("gone_" .. i, work)
			end
			guard:RunOnce("kept", work)
			expect(guard:ClearPrefix("gone_")).to.equal(600)
			-- The map was rebuilt (600 of 601 removed): hits, reruns and new keys must all see the new one.
			local hit, cached = guard:RunOnce("kept", work)
			expect(hit).to.equal(false)
			expect(cached).to.equal(42)
			local reran, value = guard:RunOnce("kept", function()
				return 7
			end, { allowRerun = true })
			expect(reran).to.equal(true)
			expect(value).to.equal(7)
			local _, now = guard:RunOnce("kept", work)
			expect(now).to.equal(7)
			guard:ClearResult("kept")
			local ranAgain = guard:RunOnce("kept", work)
			expect(ranAgain).to.equal(true)
			expect(guard:RunOnce("gone_1", work)).to.equal(true)
			local second = guard:RunOnce("gone_1", work)
			expect(second).to.equal(false)
		end)
	end)
end
