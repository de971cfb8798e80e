-- Budgets and throttling as Roblox documents them: a server's budget is 60 + 40 × players requests a
-- minute per kind (StandardList 5 + 2 × players), refilled continuously; a request without budget
-- waits in its queue; with 30 waiting, the next fails with the 30x text; none that succeeded is lost.
local Helpers = require(script.Parent.datastoreHelpers)

local WRITE = Enum.DataStoreRequestType.StandardWrite

return function()
	describe("DataStore budgets", function()
		it("scale with the server's players", function()
			local empty = Helpers.otherServer("budget-0", 0)
			local busy = Helpers.otherServer("budget-3", 3)
			expect(empty:GetRequestBudgetForRequestType(WRITE)).to.equal(60)
			expect(busy:GetRequestBudgetForRequestType(WRITE)).to.equal(180)
			expect(busy:GetRequestBudgetForRequestType(Enum.DataStoreRequestType.StandardList)).to.equal(11)
			expect(busy:GetRequestBudgetForRequestType(Enum.DataStoreRequestType.OrderedWrite)).to.equal(45)
			-- UpdateAsync needs a read and a write
			busy:GetDataStore("budgets"):UpdateAsync("k", function()
				return 1
			end)
			expect(busy:GetRequestBudgetForRequestType(WRITE)).to.equal(179)
			expect(busy:GetRequestBudgetForRequestType(Enum.DataStoreRequestType.StandardRead)).to.equal(179)
			expect(busy:GetRequestBudgetForRequestType(Enum.DataStoreRequestType.UpdateAsync)).to.equal(179)
		end)

		it("a burst waits for budget, the 31st queued fails with 302, none that succeeded is lost", function()
			task.wait(60) -- the experience-wide budget (shared with the other specs) is full again
			local server = Helpers.otherServer("burst", 0)
			local store = server:GetDataStore("burst")
			local started = os.clock()
			local finishedAt = {}
			local failures = {}
			local threads = {}
			local BUDGET, QUEUE = 60, 30
			for index = 1, BUDGET + QUEUE + 1 do
				table.insert(threads, task.spawn(function()
					local ok, err = pcall(store.SetAsync, store, "k" .. index, index)
					if ok then
						finishedAt[index] = os.clock() - started
					else
						failures[index] = err
					end
				end))
			end
			-- the 91st found 30 waiting: it failed at once, before any budget came back
			expect(failures[BUDGET + QUEUE + 1]).to.equal(
				"302: SetAsync request dropped. Request was throttled, but throttled request queue was full."
			)
			Helpers.join(threads)
			local failed = 0
			for _ in failures do
				failed += 1
			end
			expect(failed).to.equal(1)
			for index = 1, BUDGET + QUEUE do
				expect(finishedAt[index]).to.be.ok()
				expect(Helpers.peek("burst", "k" .. index)).to.equal(index) -- every success landed
			end
			-- the first 60 went at once; the queued ones waited for the budget to refill (1 a second)
			expect(finishedAt[BUDGET] < 1).to.equal(true)
			expect(finishedAt[BUDGET + 1] >= 1).to.equal(true)
			expect(finishedAt[BUDGET + QUEUE] >= QUEUE).to.equal(true)
			expect(finishedAt[BUDGET + QUEUE] < QUEUE + 2).to.equal(true)
		end)

		it("refills continuously up to one minute's worth", function()
			local server = Helpers.otherServer("refill", 0)
			local store = server:GetDataStore("refill")
			local threads = {}
			for index = 1, 60 do
				table.insert(threads, task.spawn(store.SetAsync, store, "r" .. index, index))
			end
			Helpers.join(threads)
			expect(server:GetRequestBudgetForRequestType(WRITE) <= 1).to.equal(true)
			task.wait(30)
			local half = server:GetRequestBudgetForRequestType(WRITE)
			expect(half >= 29 and half <= 31).to.equal(true)
			task.wait(120)
			expect(server:GetRequestBudgetForRequestType(WRITE)).to.equal(60)
		end)

		it("the experience-wide budget (300 + 20 × CCU writes a minute) holds every server back together", function()
			task.wait(60)
			-- two big servers (40,060 writes a minute each) that the cloud does not count: CCU stays 0
			local serverA = Helpers.otherServer("experience-A", 1000)
			local serverB = Helpers.otherServer("experience-B", 1000)
			expect(serverA:GetRequestBudgetForRequestType(WRITE)).to.equal(300)
			local threads = {}
			for index = 1, 150 do
				for label, server in { A = serverA, B = serverB } do
					local store = server:GetDataStore("experience")
					table.insert(threads, task.spawn(store.SetAsync, store, label .. index, index))
				end
			end
			expect(serverA:GetRequestBudgetForRequestType(WRITE)).to.equal(0)
			expect(serverB:GetRequestBudgetForRequestType(WRITE)).to.equal(0)
			local started = os.clock()
			serverB:GetDataStore("experience"):SetAsync("one more", 1) -- waits for 1/300 of a minute
			expect(os.clock() - started >= 0.2).to.equal(true)
			Helpers.join(threads)
			-- users joining raise it at once: 300 + 20 × 100
			local crowd = Helpers.serverContext("crowd", 100)
			local cloud = Helpers.cloud()
			cloud:addServer(crowd)
			task.wait(60)
			local budget = serverA:GetRequestBudgetForRequestType(WRITE)
			cloud:removeServer(crowd)
			expect(budget).to.equal(2300)
		end)

		it("SetRateLimitForRequestType sets this server's own limit within Roblox's bounds", function()
			local server = Helpers.otherServer("rate-limit", 2)
			server:SetRateLimitForRequestType(Enum.DataStoreRequestType.StandardRead, 10, 1)
			local store = server:GetDataStore("rate")
			store:GetAsync("k") -- 10 + 1 × 2 = 12 a minute, one of them spent
			expect(server:GetRequestBudgetForRequestType(Enum.DataStoreRequestType.StandardRead)).to.equal(11)
			expect(server:GetRequestBudgetForRequestType(WRITE)).to.equal(140) -- other kinds keep theirs
			Helpers.expectError("baseLimit must be an integer from 0 to 10000", function()
				server:SetRateLimitForRequestType(WRITE, 10001, 0)
			end)
			Helpers.expectError("perPlayerLimit must be an integer from 0 to 200", function()
				server:SetRateLimitForRequestType(WRITE, 10, 201)
			end)
			Helpers.expectError("does not support Enum.DataStoreRequestType.UpdateAsync", function()
				server:SetRateLimitForRequestType(Enum.DataStoreRequestType.UpdateAsync, 10, 1)
			end)
			expect(server:GetRequestBudgetForRequestType(WRITE)).to.equal(140)
		end)

		it("a cancelled waiter gives its queue slot back and its write never happens", function()
			task.wait(60)
			local server = Helpers.otherServer("cancel", 0)
			local store = server:GetDataStore("cancel")
			for index = 1, 60 do
				task.spawn(store.SetAsync, store, "c" .. index, index)
			end
			local waiters = {}
			for index = 1, 30 do
				table.insert(waiters, task.spawn(store.SetAsync, store, "w" .. index, index))
			end
			for _, waiter in waiters do
				task.cancel(waiter)
			end
			local ok = pcall(store.SetAsync, store, "after", 1) -- queues instead of failing: the slots are free
			expect(ok).to.equal(true)
			expect(Helpers.peek("cancel", "w1")).to.equal(nil)
		end)
	end)
end
