-- Luau users write `guard.RunOnce(...)` for `guard:RunOnce(...)` every day: the key then arrives as
-- `self`. Every method must answer with a typed InvalidArgument that says to call it with ':',
-- never "attempt to index nil" or a misleading "key ... got nil", and change nothing.
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Guard = require(ReplicatedStorage:WaitForChild("Shared"):WaitForChild("guard"))
local ExecutionGuard = Guard.ExecutionGuard
local GuardError = Guard.GuardError

local function work()
	return 1
end

return function()
	local function expectColonError(method, call)
		local ok, err = pcall(call)
		expect(ok).to.equal(false)
		if not GuardError.is(err, "InvalidArgument") then
			error(`{method}: expected an InvalidArgument GuardError, got {tostring(err)}`)
		end
		if not string.find(err.message, "call it with ':'", 1, true) then
			error(`{method}: message "{err.message}" does not say to call it with ':'`)
		end
		if not string.find(err.message, method, 1, true) then
			error(`{method}: message "{err.message}" does not name the method`)
		end
		expect(err.details.argument).to.equal("self")
	end

	describe("ExecutionGuard methods called with '.' (Luau)", function()
		it("every method answers with an InvalidArgument saying to use ':', and nothing runs", function()
			local guard = ExecutionGuard.new()
			local ran = false
			local function body()
				ran = true
				return 1
			end
			expectColonError("RunOnce", function()
				return guard.RunOnce("k", body)
			end)
			expectColonError("RunOnce", function()
				return guard.RunOnce("k", body, { timeout = 5 })
			end)
			expectColonError("RunOnceAsync", function()
				return guard.RunOnceAsync("k", body)
			end)
			expectColonError("GetStatus", function()
				return guard.GetStatus("k")
			end)
			expectColonError("GetResult", function()
				return guard.GetResult("k")
			end)
			expectColonError("HasResult", function()
				return guard.HasResult("k")
			end)
			expectColonError("ClearResult", function()
				return guard.ClearResult("k")
			end)
			expectColonError("ClearPrefix", function()
				return guard.ClearPrefix("k")
			end)
			expectColonError("Cancel", function()
				return guard.Cancel("k")
			end)
			expectColonError("AcquireLock", function()
				return guard.AcquireLock("k", 10)
			end)
			expectColonError("ReleaseLock", function()
				return guard.ReleaseLock("k")
			end)
			expectColonError("IsLocked", function()
				return guard.IsLocked("k")
			end)
			expectColonError("GetAllRecords", function()
				return guard.GetAllRecords()
			end)
			expectColonError("GetAnalytics", function()
				return guard.GetAnalytics()
			end)
			expectColonError("FormatSummary", function()
				return guard.FormatSummary()
			end)
			expect(ran).to.equal(false)
			expect(guard:IsLocked("k")).to.equal(false)
			expect(guard:GetAnalytics().global.totalExecutions).to.equal(0)
		end)

		it("a dot call on a key with a cached result is refused too (the cheap path checks self)", function()
			local guard = ExecutionGuard.new()
			guard:RunOnce("k", work)
			expectColonError("RunOnce", function()
				return guard.RunOnce("k", work)
			end)
			expect(guard:GetAnalytics().global.cacheHits).to.equal(0)
		end)

		it("printSummary keeps its dot form, and refuses something that is not a guard", function()
			local guard = ExecutionGuard.new()
			guard:RunOnce("k", work)
			expect(function()
				ExecutionGuard.printSummary(guard)
			end).never.to.throw()
			local ok, err = pcall(ExecutionGuard.printSummary, "k")
			expect(ok).to.equal(false)
			expect(GuardError.is(err, "InvalidArgument")).to.equal(true)
		end)
	end)
end
