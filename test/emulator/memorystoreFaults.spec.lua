-- Faults the test controls on MemoryStore calls (cloud.faults, service "MemoryStore"): an error rate
-- with the default InternalError text or the rule's own, a write that reports an error although it
-- landed, and latency on the virtual clock.
local MemoryStoreService = game:GetService("MemoryStoreService")
local Helpers = require(script.Parent.memorystoreSpecHelpers)
local errorOf, contains, uniqueName = Helpers.errorOf, Helpers.contains, Helpers.uniqueName

return function()
	local faults = MemoryStoreService:GetEmulatorHooks().faults

	beforeEach(function()
		Helpers.freshBudget()
	end)

	afterEach(function()
		faults:clear()
	end)

	it("errorRate 1 fails every call of that kind with InternalError before anything is written", function()
		local map = MemoryStoreService:GetHashMap(uniqueName("errors"))
		map:SetAsync("k", "kept", 60)
		faults:configure({ service = "MemoryStore", kind = "SetAsync", errorRate = 1 })
		expect(contains(errorOf(function()
			map:SetAsync("k", "changed", 60)
		end), "InternalError")).to.equal(true)
		-- other kinds are untouched
		expect(map:GetAsync("k")).to.equal("kept")
		faults:configure({ service = "MemoryStore", errorRate = 1, errorText = "RequestThrottled: try later" })
		expect(errorOf(function()
			MemoryStoreService:GetQueue(uniqueName("q")):AddAsync(1, 60)
		end)).to.equal("RequestThrottled: try later")
		faults:clear()
		expect(map:GetAsync("k")).to.equal("kept")
	end)

	it("landedErrorRate 1: the write raises, yet it landed", function()
		local map = MemoryStoreService:GetHashMap(uniqueName("landed"))
		faults:configure({ service = "MemoryStore", kind = "UpdateAsync", landedErrorRate = 1 })
		expect(contains(errorOf(function()
			map:UpdateAsync("k", function()
				return "landed"
			end, 60)
		end), "InternalError")).to.equal(true)
		faults:clear()
		expect(map:GetAsync("k")).to.equal("landed")
	end)

	it("latency makes each call yield that long on the virtual clock", function()
		local map = MemoryStoreService:GetHashMap(uniqueName("latency"))
		faults:configure({ service = "MemoryStore", kind = "GetAsync", latency = { min = 2, max = 2 } })
		local started = os.clock()
		map:GetAsync("k")
		local took = os.clock() - started
		expect(took >= 2 and took < 2.1).to.equal(true)
	end)
end
