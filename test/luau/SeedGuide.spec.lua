-- The seed guide's examples as a Luau user writes them (colon calls, `ExecutionGuard.new(true)`,
-- `ExecutionGuard.printSummary(guard)`), against the compiled library. The TypeScript specs in
-- test/execution cover the same rules from TypeScript; this file proves the Luau API reads as the
-- guide says. Only the network is replaced: HttpService and DataStore calls go to local fakes.
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Guard = require(ReplicatedStorage:WaitForChild("Shared"):WaitForChild("guard"))
local ExecutionGuard = Guard.ExecutionGuard

return function()
	describe("Quick Start (Luau)", function()
		it("runs once, then returns (false, cachedResult) without running", function()
			local guard = ExecutionGuard.new(true)
			local started = os.clock()
			local success, result = guard:RunOnce("loadData", function()
				print("Loading data...")
				task.wait(2)
				return { data = "loaded" }
			end)
			expect(success).to.equal(true)
			expect(result.data).to.equal("loaded")
			expect(os.clock() - started >= 2).to.equal(true)

			local ran = false
			local success2, result2 = guard:RunOnce("loadData", function()
				ran = true
				print("This won't run")
			end)
			expect(success2).to.equal(false)
			expect(result2).to.equal(result)
			expect(ran).to.equal(false)
		end)
	end)

	describe("RunOnce for API calls (Luau)", function()
		it("hits the API once and returns the cached data to later callers", function()
			local calls = 0
			local HttpService = {
				GetAsync = function(_self, url)
					calls += 1
					task.wait(0.2)
					return "payload for " .. url
				end,
			}
			local guard = ExecutionGuard.new()
			local function loadPlayerData(userId)
				local key = `player_data_{userId}`
				local _success, data = guard:RunOnce(key, function()
					return HttpService:GetAsync(`/api/player/{userId}`)
				end, { cacheResult = true })
				return data
			end
			local data1 = loadPlayerData(123)
			local data2 = loadPlayerData(123)
			local data3 = loadPlayerData(123)
			expect(calls).to.equal(1)
			expect(data1).to.equal("payload for /api/player/123")
			expect(data2).to.equal(data1)
			expect(data3).to.equal(data1)
		end)
	end)

	describe("In-progress lock (Luau)", function()
		it("lets one of two racing threads process the order; the other is blocked with no result", function()
			local guard = ExecutionGuard.new()
			local processed = 0
			local function processOrder(orderId)
				local key = `order_{orderId}`
				return guard:RunOnce(key, function()
					processed += 1
					task.wait(5)
					return { status = "completed" }
				end)
			end
			local first, second = {}, {}
			task.spawn(function()
				first = table.pack(processOrder(123))
			end)
			task.spawn(function()
				second = table.pack(processOrder(123))
			end)
			expect(second[1]).to.equal(false)
			expect(second[2]).to.equal(nil)
			expect(guard:IsLocked("order_123")).to.equal(true)
			expect(guard:GetStatus("order_123")).to.equal("Running")
			task.wait(6)
			expect(first[1]).to.equal(true)
			expect(first[2].status).to.equal("completed")
			expect(processed).to.equal(1)
			expect(guard:IsLocked("order_123")).to.equal(false)
		end)
	end)

	describe("Result reuse (Luau)", function()
		it("keeps the computed result for GetResult/HasResult until ClearResult", function()
			local guard = ExecutionGuard.new()
			local _success, result = guard:RunOnce("calculate", function()
				local sum = 0
				for i = 1, 1000000 do
					sum = sum + i
				end
				return sum
			end, { cacheResult = true })
			expect(result).to.equal(500000500000)
			expect(guard:GetResult("calculate")).to.equal(500000500000)
			expect(guard:HasResult("calculate")).to.equal(true)
			guard:ClearResult("calculate")
			expect(guard:HasResult("calculate")).to.equal(false)
			expect(guard:GetResult("calculate")).to.equal(nil)
		end)
	end)

	describe("Timeout (Luau)", function()
		it("stops a stuck run after its timeout, calls onTimeout once, releases the lock so a retry runs", function()
			local guard = ExecutionGuard.new()
			local timeouts = 0
			local started = os.clock()
			local success = guard:RunOnce("fetch", function()
				while true do
					task.wait(1)
				end
			end, {
				timeout = 10,
				onTimeout = function()
					timeouts += 1
					warn("Fetch timed out!")
				end,
			})
			local waited = os.clock() - started
			expect(success).to.equal(false)
			expect(waited >= 10 and waited < 10.5).to.equal(true)
			expect(timeouts).to.equal(1)
			expect(guard:GetStatus("fetch")).to.equal("TimedOut")
			expect(guard:IsLocked("fetch")).to.equal(false)

			local retried, value = guard:RunOnce("fetch", function()
				return "second try"
			end)
			expect(retried).to.equal(true)
			expect(value).to.equal("second try")
			task.wait(15)
			expect(timeouts).to.equal(1)
		end)
	end)

	describe("Lock management (Luau)", function()
		it("AcquireLock / IsLocked / ReleaseLock as the guide shows", function()
			local guard = ExecutionGuard.new()
			local didWork = false
			if guard:AcquireLock("myKey", 10) then
				expect(guard:IsLocked("myKey")).to.equal(true)
				expect(guard:AcquireLock("myKey", 0)).to.equal(false)
				didWork = true
				guard:ReleaseLock("myKey")
			end
			expect(didWork).to.equal(true)
			expect(guard:IsLocked("myKey")).to.equal(false)
		end)
	end)

	describe("Real-world examples (Luau)", function()
		it("Example 1: player data loads once per player; a failing store gives (false, error)", function()
			local guard = ExecutionGuard.new()
			local reads = 0
			local DataStore = {
				GetAsync = function(_self, userId)
					reads += 1
					task.wait(0.5)
					if userId == 2 then
						error("DataStore unavailable")
					end
					return nil -- a new player
				end,
			}
			local function LoadData(player)
				local key = `player_data_{player.UserId}`
				local success, data = guard:RunOnce(key, function()
					local success, result = pcall(function()
						return DataStore:GetAsync(player.UserId)
					end)
					if not success then
						error("Failed to load data")
					end
					return result or { coins = 0, level = 1 }
				end, {
					timeout = 10,
					cacheResult = true,
					onTimeout = function()
						warn(`Data load timeout for {player.Name}`)
					end,
				})
				return success, data
			end
			local ok, data = LoadData({ UserId = 1, Name = "Ana" })
			expect(ok).to.equal(true)
			expect(data.coins).to.equal(0)
			expect(data.level).to.equal(1)
			local again, cached = LoadData({ UserId = 1, Name = "Ana" })
			expect(again).to.equal(false)
			expect(cached).to.equal(data)
			local failed, err = LoadData({ UserId = 2, Name = "Bo" })
			expect(failed).to.equal(false)
			expect(Guard.GuardError.is(err, "ExecutionFailed")).to.equal(true)
			expect(guard:GetStatus("player_data_2")).to.equal("Failed")
			expect(reads).to.equal(2)
		end)

		it("Example 2: arena_init runs once (3.5 s of steps); later calls get the cached result", function()
			local guard = ExecutionGuard.new()
			local inits = 0
			local function InitializeArena()
				return guard:RunOnce("arena_init", function()
					inits += 1
					task.wait(2)
					task.wait(1)
					task.wait(0.5)
					return { initialized = true }
				end, { timeout = 30, allowRerun = false })
			end
			local ok, result = InitializeArena()
			expect(ok).to.equal(true)
			expect(result.initialized).to.equal(true)
			local again, cached = InitializeArena()
			expect(again).to.equal(false)
			expect(cached.initialized).to.equal(true)
			expect(inits).to.equal(1)
		end)

		it("Example 3: a daily reward is granted once per player per day", function()
			local guard = ExecutionGuard.new()
			local leaderstats = Instance.new("Folder")
			leaderstats.Name = "leaderstats"
			local coins = Instance.new("IntValue")
			coins.Name = "Coins"
			coins.Parent = leaderstats
			local player = { UserId = 42, leaderstats = leaderstats }
			local function ClaimDailyReward()
				local today = os.date("%Y-%m-%d")
				local key = `daily_reward_{player.UserId}_{today}`
				return guard:RunOnce(key, function()
					player.leaderstats.Coins.Value += 100
					return { claimed = true, amount = 100 }
				end, { allowRerun = false, cacheResult = true })
			end
			local first, reward = ClaimDailyReward()
			local second = ClaimDailyReward()
			expect(first).to.equal(true)
			expect(reward.amount).to.equal(100)
			expect(second).to.equal(false)
			expect(coins.Value).to.equal(100)
			task.wait(24 * 3600)
			expect((ClaimDailyReward())).to.equal(true)
			expect(coins.Value).to.equal(200)
		end)
	end)

	describe("Debugging from the F9 console (Luau)", function()
		it("GetAllRecords, GetAnalytics and ExecutionGuard.printSummary(guard) work as written", function()
			local guard = ExecutionGuard.new()
			guard:RunOnce("a", function()
				return 1
			end)
			guard:RunOnce("a", function()
				return 2
			end)
			guard:RunOnce("b", function()
				error("nope")
			end)
			local records = guard:GetAllRecords()
			local seen = 0
			for key, record in pairs(records) do
				seen += 1
				print(key, record.status, record.executionCount)
			end
			expect(seen).to.equal(2)
			expect(records.a.status).to.equal("Completed")
			expect(records.a.executionCount).to.equal(1)
			expect(records.b.status).to.equal("Failed")

			local analytics = guard:GetAnalytics()
			expect(analytics.global.totalExecutions).to.equal(2)
			-- the repeat of "a" did not run: blocked, and in the breakdown a cache hit
			expect(analytics.global.blockedExecutions).to.equal(1)
			expect(analytics.global.cacheHits).to.equal(1)

			-- the static, called with a dot as the guide writes it: one print of the summary table
			local summaries = {}
			local connection = game:GetService("LogService").MessageOut:Connect(function(message)
				if string.sub(message, 1, 23) == "ExecutionGuard summary:" then
					table.insert(summaries, message)
				end
			end)
			expect(function()
				ExecutionGuard.printSummary(guard)
			end).never.to.throw()
			task.wait() -- a handler may run later on Roblox (deferred signals)
			connection:Disconnect()
			expect(#summaries).to.equal(1)
			expect(string.find(summaries[1], "2 keys, 2 runs, 1 blocked", 1, true)).to.be.ok()
			expect(string.find(summaries[1], "\nb +Failed", 1)).to.be.ok()
			expect(guard:GetStatus("a")).to.equal("Completed")
		end)
	end)
end
