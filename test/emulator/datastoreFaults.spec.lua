-- Faults the test controls (cloud.faults, service "DataStore"): an error rate with Roblox's 5xx text,
-- writes that land although the call errors (the 2026 docs warn of it), latency on the virtual clock,
-- and a stopped server's requests refused.
local Helpers = require(script.Parent.datastoreHelpers)

return function()
	local faults

	beforeEach(function()
		faults = Helpers.cloud().faults
	end)

	afterEach(function()
		faults:clear("DataStore")
	end)

	describe("DataStore faults", function()
		it("errorRate fails the call with Roblox's 502 text and writes nothing", function()
			local store = Helpers.otherServer("faults-1", 1):GetDataStore("faults")
			store:SetAsync("key", "before")
			faults:configure({ service = "DataStore", kind = "SetAsync", errorRate = 1 })
			local text = Helpers.expectError("502: API Services rejected the request", function()
				store:SetAsync("key", "after")
			end)
			expect(string.match(text, "^(%d+):")).to.equal("502")
			expect(Helpers.peek("faults", "key")).to.equal("before")
			faults:configure({ service = "DataStore", errorRate = 1, errorText = "503: custom" })
			Helpers.expectError("503: custom", function()
				store:UpdateAsync("key", function()
					return "updated"
				end)
			end)
			expect(Helpers.peek("faults", "key")).to.equal("before")
		end)

		it("landedErrorRate: the call errors but the write landed (a cache-free read shows it)", function()
			local store = Helpers.otherServer("faults-2", 1):GetDataStore("faults")
			faults:configure({ service = "DataStore", kind = "UpdateAsync", landedErrorRate = 1 })
			Helpers.expectError("502:", function()
				store:UpdateAsync("landed", function(current)
					return (current or 0) + 1
				end)
			end)
			faults:clear("DataStore")
			expect((store:GetAsync("landed", Helpers.noCache()))).to.equal(1)
		end)

		it("latency: each call yields the base latency plus the fault's on the virtual clock", function()
			local store = Helpers.otherServer("faults-3", 1):GetDataStore("faults")
			local started = os.clock()
			store:SetAsync("slow", 1)
			local base = os.clock() - started
			expect(base > 0 and base < 0.2).to.equal(true)
			faults:configure({ service = "DataStore", latency = { min = 2, max = 2 } })
			started = os.clock()
			store:GetAsync("slow", Helpers.noCache())
			expect(os.clock() - started >= 2).to.equal(true)
			expect(os.clock() - started < 2.3).to.equal(true)
		end)

		it("a stopped server's requests fail with 401", function()
			local server, context = Helpers.otherServer("faults-4", 1)
			local store = server:GetDataStore("faults")
			context.stop()
			Helpers.expectError("401: Request failed. DataModel is inaccessible", function()
				store:SetAsync("stopped", 1)
			end)
			expect(Helpers.peek("faults", "stopped")).to.equal(nil)
		end)

		it("a request queued when its server stops fails with 401 at its turn and writes nothing", function()
			task.wait(60) -- the experience-wide write budget is full again
			local server, context = Helpers.otherServer("faults-5", 0)
			local store = server:GetDataStore("faults")
			for index = 1, 60 do
				task.spawn(store.SetAsync, store, "spent" .. index, index)
			end
			local result
			local queued = task.spawn(function()
				result = table.pack(pcall(store.SetAsync, store, "queued", 1))
			end)
			expect(coroutine.status(queued)).to.equal("suspended")
			context.stop()
			Helpers.join({ queued })
			expect(result[1]).to.equal(false)
			expect(string.find(result[2], "^401:")).to.be.ok()
			expect(Helpers.peek("faults", "queued")).to.equal(nil)
		end)
	end)
end
