-- MemoryStoreHashMap against Roblox's documented behaviour: expiry on the stores' clock, limits
-- refused with Roblox's error names and nothing changed, values stored as copies, and UpdateAsync's
-- compare-and-set (re-run on conflict, no lost update, a retry cap) — also across two servers.
local MemoryStoreService = game:GetService("MemoryStoreService")
local Helpers = require(script.Parent.memorystoreSpecHelpers)
local errorOf, contains, uniqueName = Helpers.errorOf, Helpers.contains, Helpers.uniqueName

return function()
	local hooks = MemoryStoreService:GetEmulatorHooks()

	beforeEach(function()
		Helpers.freshBudget()
	end)

	afterEach(function()
		hooks.faults:clear()
	end)

	describe("SetAsync and GetAsync", function()
		it("SetAsync says whether it overwrote; GetAsync reads the value back, nil for a missing key", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("basic"))
			expect(map:GetAsync("k")).to.equal(nil)
			expect(map:SetAsync("k", "first", 60)).to.equal(false)
			expect(map:SetAsync("k", "second", 60)).to.equal(true)
			expect(map:GetAsync("k")).to.equal("second")
		end)

		it("stores a copy: changing the table written or read changes nothing stored", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("copy"))
			local written = { coins = 5, items = { "sword" } }
			map:SetAsync("k", written, 60)
			written.coins = 99
			table.insert(written.items, "shield")
			local read = map:GetAsync("k")
			expect(read.coins).to.equal(5)
			expect(#read.items).to.equal(1)
			read.coins = 1000
			expect(map:GetAsync("k").coins).to.equal(5)
		end)

		it("every call yields (store calls are async)", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("yield"))
			local started = os.clock()
			map:SetAsync("k", 1, 60)
			expect(os.clock() > started).to.equal(true)
		end)

		it("an item is gone after its expiration, and one written with expiration 0 at once", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("expiry"))
			map:SetAsync("k", "v", 10)
			task.wait(9)
			expect(map:GetAsync("k")).to.equal("v")
			task.wait(1.5)
			expect(map:GetAsync("k")).to.equal(nil)
			map:SetAsync("released", "lock", 0)
			expect(map:GetAsync("released")).to.equal(nil)
			-- a write after expiry does not count as an overwrite
			expect(map:SetAsync("k", "again", 10)).to.equal(false)
		end)

		it("RemoveAsync deletes the key", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("remove"))
			map:SetAsync("k", "v", 60)
			map:RemoveAsync("k")
			expect(map:GetAsync("k")).to.equal(nil)
		end)
	end)

	describe("limits and bad input: Roblox's error names, nothing changed", function()
		it("refuses an expiration outside 0 .. 3,888,000 s, or none, with InvalidExpirationTime", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("expiration"))
			map:SetAsync("k", "kept", 60)
			for _, expiration in { -1, 3_888_001, "soon" :: any, nil :: any } do
				local text = errorOf(function()
					map:SetAsync("k", "changed", expiration)
				end)
				if expiration == "soon" then
					expect(contains(text, "Unable to cast string to number")).to.equal(true)
				else
					expect(contains(text, "InvalidExpirationTime")).to.equal(true)
				end
			end
			expect(contains(errorOf(function()
				map:UpdateAsync("k", function()
					return "changed"
				end, 3_888_001)
			end), "InvalidExpirationTime")).to.equal(true)
			expect(map:GetAsync("k")).to.equal("kept")
			-- the edges themselves are accepted
			map:SetAsync("edge", 1, 3_888_000)
			expect(map:GetAsync("edge")).to.equal(1)
			map:RemoveAsync("edge")
		end)

		it("refuses a key over 128 characters or empty, and a value over 32 KB as JSON", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("sizes"))
			map:SetAsync("k", "kept", 60)
			local longKey = string.rep("k", 129)
			expect(contains(errorOf(function()
				map:SetAsync(longKey, 1, 60)
			end), "InvalidRequest")).to.equal(true)
			expect(contains(errorOf(function()
				map:GetAsync("")
			end), "InvalidRequest")).to.equal(true)
			map:SetAsync(string.rep("k", 128), 1, 60) -- 128 is allowed
			-- 32,768 bytes of JSON is the most: a string of 32,766 characters plus its quotes
			map:SetAsync("k", string.rep("x", 32_766), 60)
			local text = errorOf(function()
				map:SetAsync("k", string.rep("x", 32_767), 60)
			end)
			expect(contains(text, "ItemValueSizeTooLarge")).to.equal(true)
			expect(#map:GetAsync("k")).to.equal(32_766)
			expect(contains(errorOf(function()
				map:UpdateAsync("k", function()
					return string.rep("y", 40_000)
				end, 60)
			end), "ItemValueSizeTooLarge")).to.equal(true)
			expect(#map:GetAsync("k")).to.equal(32_766)
		end)

		it("refuses values JSON cannot hold, wrong-typed arguments and '.' calls", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("types"))
			expect(contains(errorOf(function()
				map:SetAsync("k", function() end, 60)
			end), "InvalidRequest")).to.equal(true)
			expect(contains(errorOf(function()
				map:SetAsync("k", { 1, 2, nil, 4, x = 1 }, 60)
			end), "InvalidRequest")).to.equal(true)
			expect(contains(errorOf(function()
				map:SetAsync({}, 1, 60)
			end), "Unable to cast table to string")).to.equal(true)
			expect(contains(errorOf(function()
				map:GetAsync()
			end), "Argument 1 missing or nil")).to.equal(true)
			expect(contains(errorOf(function()
				map:UpdateAsync("k", "not a function", 60)
			end), "Unable to cast string to function")).to.equal(true)
			expect(contains(errorOf(function()
				map.GetAsync("k")
			end), "Expected ':' not '.' calling member function GetAsync")).to.equal(true)
			expect(contains(errorOf(function()
				map:ListItemsAsync(201)
			end), "InvalidRequest")).to.equal(true)
			expect(contains(errorOf(function()
				MemoryStoreService:GetHashMap("")
			end), "InvalidRequest")).to.equal(true)
			expect(map:GetAsync("k")).to.equal(nil)
		end)
	end)

	describe("UpdateAsync", function()
		it("passes the current value (nil when absent) and returns what it wrote; nil cancels", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("update"))
			local seen = "unset"
			expect(map:UpdateAsync("k", function(current)
				seen = current
				return 1
			end, 60)).to.equal(1)
			expect(seen).to.equal(nil)
			expect(map:UpdateAsync("k", function(current)
				return current + 1
			end, 60)).to.equal(2)
			expect(map:UpdateAsync("k", function()
				return nil
			end, 60)).to.equal(nil)
			expect(map:GetAsync("k")).to.equal(2)
		end)

		it("a transform that yields or errors fails with TransformCallbackFailed and writes nothing", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("transform"))
			map:SetAsync("k", 1, 60)
			local text = errorOf(function()
				map:UpdateAsync("k", function(current)
					task.wait(1)
					return current + 1
				end, 60)
			end)
			expect(contains(text, "TransformCallbackFailed")).to.equal(true)
			expect(contains(text, "yield")).to.equal(true)
			expect(contains(errorOf(function()
				map:UpdateAsync("k", function()
					error("boom")
				end, 60)
			end), "TransformCallbackFailed")).to.equal(true)
			task.wait(2) -- the cancelled transform must not come back and write
			expect(map:GetAsync("k")).to.equal(1)
		end)

		it("many threads incrementing one key lose no update, and a transform re-runs after a conflict", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("race"))
			local transformCalls, succeeded, conflicts, done = 0, 0, 0, 0
			local threads = 20
			for _ = 1, threads do
				task.spawn(function()
					local ok, err = pcall(function()
						map:UpdateAsync("counter", function(current)
							transformCalls += 1
							return (current or 0) + 1
						end, 600)
					end)
					if ok then
						succeeded += 1
					elseif contains(tostring(err), "UpdateConflict") then
						conflicts += 1
					else
						error(err)
					end
					done += 1
				end)
			end
			while done < threads do
				task.wait(0.1)
			end
			expect(succeeded + conflicts).to.equal(threads)
			expect(succeeded > 0).to.equal(true)
			expect(map:GetAsync("counter")).to.equal(succeeded)
			expect(transformCalls > threads).to.equal(true)
		end)

		it("two servers' facades race one key: every increment lands, and transforms re-run", function()
			local name = uniqueName("servers")
			local serverB = hooks.addServer({ jobId = "server-B" })
			local maps = { MemoryStoreService:GetHashMap(name), serverB.service("MemoryStoreService"):GetHashMap(name) }
			local transformCalls, done = 0, 0
			local perServer = 25
			for _, map in maps do
				task.spawn(function()
					for _ = 1, perServer do
						map:UpdateAsync("total", function(current)
							transformCalls += 1
							return (current or 0) + 1
						end, 600)
					end
					done += 1
				end)
			end
			while done < #maps do
				task.wait(0.1)
			end
			serverB.stop()
			expect(maps[1]:GetAsync("total")).to.equal(2 * perServer)
			expect(maps[2]:GetAsync("total")).to.equal(2 * perServer)
			expect(transformCalls > 2 * perServer).to.equal(true)
		end)

		it("gives up with UpdateConflict when every attempt loses the race, writing nothing of its own", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("cap"))
			map:SetAsync("k", 0, 600)
			-- each UpdateAsync write trip takes 1 s while another thread writes every few frames
			hooks.faults:configure({ service = "MemoryStore", kind = "UpdateAsync", latency = { min = 1, max = 1 } })
			local writing = true
			task.spawn(function()
				local value = 0
				while writing do
					value += 1
					map:SetAsync("k", value, 600)
				end
			end)
			local attempts = 0
			local text = errorOf(function()
				map:UpdateAsync("k", function()
					attempts += 1
					return -1
				end, 600)
			end)
			writing = false
			task.wait(0.5)
			expect(contains(text, "UpdateConflict")).to.equal(true)
			expect(attempts).to.equal(10)
			expect(map:GetAsync("k") > 0).to.equal(true)
		end)
	end)

	describe("ListItemsAsync", function()
		it("pages through every live item, count per page", function()
			local map = MemoryStoreService:GetHashMap(uniqueName("list"))
			for index = 1, 7 do
				map:SetAsync("key" .. index, index, 60)
			end
			map:SetAsync("expired", 0, 0)
			local pages = map:ListItemsAsync(3)
			local seen, pageCount = {}, 0
			while true do
				pageCount += 1
				for _, entry in pages:GetCurrentPage() do
					seen[entry.key] = entry.value
				end
				if pages.IsFinished then
					break
				end
				pages:AdvanceToNextPageAsync()
			end
			expect(pageCount).to.equal(3)
			for index = 1, 7 do
				expect(seen["key" .. index]).to.equal(index)
			end
			expect(seen.expired).to.equal(nil)
			expect(contains(errorOf(function()
				pages:AdvanceToNextPageAsync()
			end), "InvalidRequest")).to.equal(true)
			expect(contains(errorOf(function()
				map:ListItemsAsync("many")
			end), "Unable to cast string to number")).to.equal(true)
			expect(contains(errorOf(function()
				pages.GetCurrentPage()
			end), "Expected ':' not '.'")).to.equal(true)
		end)
	end)
end
