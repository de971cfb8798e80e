-- The stores' consistency and the server lifecycle across REAL servers of a universe (each its own
-- engine copy, DataModel and DataStoreService facade over the one backend): UpdateAsync's
-- compare-and-set re-runs a transform after another server's write, GetAsync's 4 s cache is per server
-- and stale across servers, a crashed server runs no BindToClose and a graceful one does, for ≤ 30 s,
-- given its Enum.CloseReason.

return function()
	describe("stores and lifecycle on a universe", function()
		it("four servers doing 1,000 UpdateAsync increments on one key: exactly 1,000, re-runs seen", function()
			local universe = Universe.new({ seed = 41 })
			local servers = {}
			for index = 1, 4 do
				servers[index] = universe:startServer({ name = "S" .. index })
			end
			-- 25 players each: a server's budget is 60 + 40 × players requests a minute per kind
			for userId = 1, 100 do
				universe:join(userId, servers[(userId - 1) % 4 + 1])
			end
			local transformRuns, finished = 0, 0
			for _, server in servers do
				for _ = 1, 10 do
					server:spawn(function(g)
						local store = g.game:GetService("DataStoreService"):GetDataStore("Counters")
						for _ = 1, 25 do
							store:UpdateAsync("total", function(current)
								transformRuns += 1
								return (current or 0) + 1
							end)
						end
						finished += 1
					end)
				end
			end
			while finished < 40 do
				universe:advance(1)
			end
			local total = servers[1]:run(function(g)
				local options = g.Instance.new("DataStoreGetOptions")
				options.UseCache = false
				return (g.game:GetService("DataStoreService"):GetDataStore("Counters"):GetAsync("total", options))
			end)
			expect(total).to.equal(1000)
			expect(transformRuns > 1000).to.equal(true) -- some transform ran again on a newer value
			universe:close()
		end)

		it("GetAsync's 4 s cache is per server: another server's write is unseen until it expires", function()
			local universe = Universe.new({ seed = 42 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			local function read(server)
				return server:run(function(g)
					return (g.game:GetService("DataStoreService"):GetDataStore("Cache"):GetAsync("k"))
				end)
			end
			local function write(server, value)
				server:run(function(g)
					g.game:GetService("DataStoreService"):GetDataStore("Cache"):SetAsync("k", value)
				end)
			end
			write(a, "old")
			expect(read(b)).to.equal("old") -- B caches it now
			write(a, "new")
			expect(read(b)).to.equal("old") -- stale on B
			expect(read(a)).to.equal("new") -- A's own write is what A caches
			universe:advance(4.1)
			expect(read(b)).to.equal("new")
			universe:close()
		end)

		it("a crashed server runs no BindToClose; a graceful one runs them with the close reason, for ≤ 30 s", function()
			local universe = Universe.new({ seed = 43 })
			local crashed = universe:startServer({ name = "C" })
			local graceful = universe:startServer({ name = "G" })
			local log = {}
			for _, server in { crashed, graceful } do
				server:run(function(g)
					g.game:BindToClose(function(reason)
						local isEnumItem = typeof(reason) == "EnumItem" and reason.EnumType == g.Enum.CloseReason
						table.insert(log, server.name .. " closing " .. reason.Name .. " " .. tostring(isEnumItem))
						g.task.wait(10)
						table.insert(log, server.name .. " saved")
					end)
					g.game:BindToClose(function()
						g.task.wait(100)
						table.insert(log, server.name .. " slow one finished")
					end)
				end)
			end
			crashed:crash()
			universe:advance(1)
			expect(#log).to.equal(0)
			local started = universe.cloud:clock()
			local summary = graceful:shutdown("ServerEmpty")
			local took = universe.cloud:clock() - started
			expect(table.concat(log, ",")).to.equal("G closing ServerEmpty true,G saved")
			expect(summary.callbacks).to.equal(2)
			expect(summary.timedOut).to.equal(true)
			expect(took >= 30 and took < 30.1).to.equal(true)
			universe:advance(120)
			expect(#log).to.equal(2) -- the cut-off callback never resumes
			local other = universe:startServer({ name = "H" })
			local ok, err = pcall(function()
				other:shutdown("ServerShutdown") -- no such Enum.CloseReason
			end)
			expect(ok).to.equal(false)
			expect(string.find(tostring(err), "InvalidArgument: server:shutdown: reasonName", 1, true)).to.be.ok()
			expect(other:state()).to.equal("running")
			universe:close()
		end)
	end)
end
