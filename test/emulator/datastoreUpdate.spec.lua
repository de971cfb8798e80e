-- UpdateAsync as Roblox documents it: the transform cannot yield (an error, nothing written), nil
-- cancels, and it re-runs on the newer value when another server wrote between its read and its
-- compare-and-set, so concurrent increments from many threads and two servers never lose one.
local DataStoreService = game:GetService("DataStoreService")
local Helpers = require(script.Parent.datastoreHelpers)

return function()
	describe("UpdateAsync", function()
		it("a yielding transform errors like Roblox and writes nothing", function()
			local store = DataStoreService:GetDataStore("update")
			local version = store:SetAsync("yield", 1)
			local resumedAfterYield = false
			Helpers.expectError("Callbacks cannot yield", function()
				store:UpdateAsync("yield", function(current)
					task.wait(1)
					resumedAfterYield = true
					return current + 1
				end)
			end)
			task.wait(2)
			expect(resumedAfterYield).to.equal(false) -- the yielded transform never comes back
			local value, info = store:GetAsync("yield", Helpers.noCache())
			expect(value).to.equal(1)
			expect(info.Version).to.equal(version)
		end)

		it("returning nil cancels: nothing is written", function()
			local store = DataStoreService:GetDataStore("update")
			local version = store:SetAsync("cancel", { n = 1 })
			local seen
			local result = store:UpdateAsync("cancel", function(current, keyInfo)
				seen = keyInfo.Version
				current.n = 2 -- mutating the copy it was given must not leak into the store
				return nil
			end)
			expect(result).to.equal(nil)
			expect(seen).to.equal(version)
			local value, info = store:GetAsync("cancel", Helpers.noCache())
			expect(value.n).to.equal(1)
			expect(info.Version).to.equal(version)
		end)

		it("a transform error propagates and writes nothing", function()
			local store = DataStoreService:GetDataStore("update")
			store:SetAsync("boom", 1)
			Helpers.expectError("transform failed", function()
				store:UpdateAsync("boom", function()
					error("transform failed", 0)
				end)
			end)
			expect(Helpers.peek("update", "boom")).to.equal(1)
		end)

		it("returns the new value, user IDs and metadata the transform gave", function()
			local store = DataStoreService:GetDataStore("update")
			local value, info = store:UpdateAsync("meta", function(current, keyInfo)
				expect(current).to.equal(nil)
				expect(keyInfo).to.equal(nil)
				return { owner = "A" }, { 7 }, { lock = "A" }
			end)
			expect(value.owner).to.equal("A")
			expect(info:GetUserIds()[1]).to.equal(7)
			expect(info:GetMetadata().lock).to.equal("A")
		end)

		it("re-runs the transform when another server wrote in between", function()
			local serverB = Helpers.otherServer("server-B")
			local storeA = DataStoreService:GetDataStore("update")
			local storeB = serverB:GetDataStore("update")
			storeA:SetAsync("race", 10)
			local seen = {}
			-- B's write is on the wire first; A reads before it lands and compare-and-sets after it
			local writer = task.spawn(function()
				storeB:SetAsync("race", 100)
			end)
			local result = storeA:UpdateAsync("race", function(current)
				table.insert(seen, current)
				return current + 1
			end)
			Helpers.join({ writer })
			expect(#seen).to.equal(2)
			expect(seen[1]).to.equal(10)
			expect(seen[2]).to.equal(100)
			expect(result).to.equal(101)
			expect(Helpers.peek("update", "race")).to.equal(101)
		end)

		it("concurrent increments from many threads on two servers total exactly N", function()
			local cloud = Helpers.cloud()
			-- random latencies make the interleaving vary (seeded: the same run each time)
			cloud.faults:configure({ service = "DataStore", kind = "UpdateAsync", latency = { min = 0, max = 0.3 } })
			-- two servers with 5 players each: 260 updates a minute apiece, so nobody waits in a queue here
			local serverA = Helpers.otherServer("server-A2", 5)
			local serverB = Helpers.otherServer("server-B2", 5)
			local stores = { serverA:GetDataStore("counters"), serverB:GetDataStore("counters") }
			local runs = 0
			local threads = {}
			local THREADS, EACH = 10, 10
			for _, store in stores do
				for _ = 1, THREADS do
					table.insert(threads, task.spawn(function()
						for _ = 1, EACH do
							store:UpdateAsync("total", function(current)
								runs += 1
								return (current or 0) + 1
							end)
						end
					end))
				end
			end
			Helpers.join(threads)
			cloud.faults:clear("DataStore")
			local calls = #stores * THREADS * EACH
			expect(Helpers.peek("counters", "total")).to.equal(calls)
			expect(runs > calls).to.equal(true) -- transforms re-ran after conflicts
		end)
	end)
end
