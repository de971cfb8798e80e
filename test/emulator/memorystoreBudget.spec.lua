-- MemoryStore's experience-wide budgets: request units (1000 + 120 x users per minute; UpdateAsync
-- at least 2, ranges and reads one per item) and the memory quota (64 KB + 1.2 KB x users). Users are
-- every running server's players: stand-in servers from the emulator hooks bring them.
local MemoryStoreService = game:GetService("MemoryStoreService")
local Helpers = require(script.Parent.memorystoreSpecHelpers)
local errorOf, contains, uniqueName = Helpers.errorOf, Helpers.contains, Helpers.uniqueName

-- Runs `count` calls at once (each in its own thread); returns how many succeeded and the errors.
local function burst(count: number, call: (index: number) -> ()): (number, { string })
	local succeeded, errors, done = 0, {}, 0
	for index = 1, count do
		task.spawn(function()
			local ok, err = pcall(call, index)
			if ok then
				succeeded += 1
			else
				table.insert(errors, tostring(err))
			end
			done += 1
		end)
	end
	while done < count do
		task.wait(0.1)
	end
	return succeeded, errors
end

local function countItems(map): number
	local pages = map:ListItemsAsync(200)
	local count = #pages:GetCurrentPage()
	while not pages.IsFinished do
		task.wait(15) -- a page of 200 costs 201 units: let the budget refill between pages
		pages:AdvanceToNextPageAsync()
		count += #pages:GetCurrentPage()
	end
	return count
end

return function()
	local hooks = MemoryStoreService:GetEmulatorHooks()

	beforeEach(function()
		Helpers.freshBudget()
	end)

	describe("request units", function()
		it("past 1000 units a minute calls fail with RequestThrottled, land nothing, and the budget refills", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("units"))
			local succeeded, errors = burst(1100, function(index)
				map:SetAsync("key" .. index, index, 600)
			end)
			expect(succeeded >= 1000 and succeeded <= 1002).to.equal(true)
			expect(#errors).to.equal(1100 - succeeded)
			expect(contains(errors[1], "RequestThrottled")).to.equal(true)
			expect(contains(errors[1], "TotalRequestsOverLimit")).to.equal(true)
			task.wait(60)
			expect(map:GetAsync("key1")).to.equal(1)
			expect(countItems(map)).to.equal(succeeded)
		end)

		it("each user adds 120 units a minute, whichever server they play on", function()
			local serverB = hooks.addServer({ players = 10 })
			task.wait(61)
			local map = MemoryStoreService:GetHashMap(uniqueName("users"))
			local succeeded = burst(2100, function(index)
				map:GetAsync("key" .. index)
			end)
			serverB.stop()
			expect(succeeded).to.equal(2100)
		end)

		it("HashMap UpdateAsync costs 2 units", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("updateCost"))
			local updated = burst(500, function(index)
				map:UpdateAsync("key" .. index, function()
					return index
				end, 60)
			end)
			expect(updated).to.equal(500)
			local read = burst(10, function()
				map:GetAsync("key1")
			end)
			expect(read <= 2).to.equal(true)
		end)

		it("GetRangeAsync and ReadAsync cost one unit per item returned", function()
			local sorted = MemoryStoreService:GetSortedMap(uniqueName("rangeCost"))
			local queue = MemoryStoreService:GetQueue(uniqueName("readCost"))
			burst(200, function(index)
				sorted:SetAsync("key" .. index, index, 600, index)
			end)
			burst(100, function(index)
				queue:AddAsync(index, 600)
			end)
			task.wait(61)
			local ranges = burst(4, function()
				expect(#sorted:GetRangeAsync("Ascending", 200)).to.equal(200)
			end)
			expect(ranges).to.equal(4)
			expect(#queue:ReadAsync(100, false, 0)).to.equal(100)
			-- 800 + 100 units spent: about 100 are left
			local after = burst(110, function()
				sorted:GetAsync("key1")
			end)
			expect(after >= 98 and after <= 102).to.equal(true)
		end)
	end)

	describe("memory quota", function()
		-- bytes an item takes: key + its value's JSON
		local function text(bytes: number): string
			return string.rep("x", bytes - 3) -- a one-character key, the string and its two quotes
		end

		it("a write that grows memory past 64 KB fails with TotalMemoryOverLimit; shrinking or same-size ones pass", function()
			task.wait(3600) -- items earlier specs wrote are gone
			local map = MemoryStoreService:GetHashMap(uniqueName("quota"))
			map:SetAsync("a", text(30_000), 3600)
			map:SetAsync("b", text(30_000), 3600)
			local refused = errorOf(function()
				map:SetAsync("c", text(5_537), 3600) -- 65,537 bytes in all: one over
			end)
			expect(contains(refused, "TotalMemoryOverLimit")).to.equal(true)
			expect(map:GetAsync("c")).to.equal(nil)
			map:SetAsync("c", text(5_536), 3600) -- exactly 64 KB
			map:SetAsync("a", string.rep("y", 30_000 - 3), 3600) -- same size at the limit
			expect(contains(errorOf(function()
				map:UpdateAsync("c", function()
					return text(5_537)
				end, 3600)
			end), "TotalMemoryOverLimit")).to.equal(true)
			map:SetAsync("a", "small", 3600) -- shrinking
			map:SetAsync("c", text(5_537), 3600) -- fits now
			for _, key in { "a", "b", "c" } do
				map:RemoveAsync(key)
			end
		end)

		it("grows at once when users join and shrinks only after the 8-day look-back", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("lookBack"))
			local serverB = hooks.addServer({ players = 10 }) -- quota 64 KB + 12 KB = 77,824 bytes
			map:SetAsync("a", text(30_000), 3_888_000)
			map:SetAsync("b", text(30_000), 3_888_000)
			map:SetAsync("c", text(15_000), 3_888_000)
			serverB.stop()
			map:SetAsync("d", text(2_000), 3_888_000) -- the quota still counts the 10 users
			task.wait(8 * 24 * 3600 + 60)
			expect(contains(errorOf(function()
				map:SetAsync("e", "tiny", 3_888_000)
			end), "TotalMemoryOverLimit")).to.equal(true)
			map:SetAsync("a", string.rep("z", 30_000 - 3), 3_888_000) -- same size passes over the quota
			map:SetAsync("b", "small", 3_888_000) -- shrinking passes
			expect(map:GetAsync("e")).to.equal(nil)
			for _, key in { "a", "b", "c", "d" } do
				map:RemoveAsync(key)
			end
		end)
	end)
end
