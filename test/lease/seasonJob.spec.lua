-- The experience-wide season job (src/server/services/SeasonJobService.ts) on a universe: one server
-- at a time holds the SeasonJob lease and resets the season once per period through a fenced,
-- exactly-once EffectStore write; a crashed or cut-off holder is replaced with a larger token, and the
-- old holder's late write with its stale token is refused.
local PERIOD = 60

local function startJob(server, extra)
	return server:run(function(g)
		local Helpers = g.require(g.game.ServerScriptService.Tests.lease.leaseSpecHelpers)
		local SeasonJob = g.require(g.game.ServerScriptService.TS.services.SeasonJobService)
		local service, _, control = Helpers.wrap(g.game:GetService("MemoryStoreService"))
		local events = {}
		local job = SeasonJob.SeasonJobService.new({
			memoryStore = service,
			periodSeconds = PERIOD,
			leaseTtl = 15,
			retrySeconds = 4,
			log = function() end,
			onEvent = function(event)
				table.insert(events, event)
				if extra then
					table.insert(extra, event)
				end
			end,
		})
		job:Start()
		g._G.job, g._G.control, g._G.events = job, control, events
		return SeasonJob
	end)
end

local function readSeason(server)
	return server:run(function(g)
		local snapshot = g._G.job.seasons:Read("season_state")
		return snapshot
	end)
end

local function tokensOf(events, kind)
	local tokens = {}
	for _, event in events do
		if event.kind == kind then
			table.insert(tokens, event.token)
		end
	end
	return tokens
end

return function()
	describe("the season job across servers", function()
		it("one server holds the job at a time; after the holder crashes another takes over with a larger token, one reset per period", function()
			local universe = Universe.new({ seed = 31 })
			local a = universe:startServer({ name = "A", jobId = "job-A" })
			local all = {}
			startJob(a, all)
			universe:advance(2)
			local b = universe:startServer({ name = "B", jobId = "job-B" })
			startJob(b, all)
			universe:advance(PERIOD * 2)
			local acquired = tokensOf(all, "acquired")
			expect(#acquired).to.equal(1) -- B never got it while A lived
			expect(all[1].jobId).to.equal("job-A")
			a:crash()
			universe:advance(PERIOD * 3)
			acquired = tokensOf(all, "acquired")
			expect(#acquired).to.equal(2)
			expect(acquired[2] > acquired[1]).to.equal(true)
			local snapshot = readSeason(b)
			local periods = {}
			for _, event in all do
				if event.kind == "ran" then
					expect(periods[event.season]).to.equal(nil) -- never twice
					periods[event.season] = true
				end
			end
			expect(snapshot.appliedCount).to.equal(#tokensOf(all, "ran"))
			expect(snapshot.data.lastResetBy).to.equal("job-B")
			expect(snapshot.data.lastToken).to.equal(acquired[2])
			universe:close()
		end)

		it("the old holder's late write with its stale token is refused", function()
			local universe = Universe.new({ seed = 32 })
			local a = universe:startServer({ name = "A", jobId = "job-A" })
			local b = universe:startServer({ name = "B", jobId = "job-B" })
			startJob(a)
			universe:advance(2)
			startJob(b)
			local staleToken = a:run(function(g)
				local lease = g._G.job.lock:GetHolder("season_reset")
				g._G.lease = lease -- kept by a holder that is about to pause
				return lease.token
			end)
			-- A is cut off from MemoryStore (a partition or a long pause): B takes over after the TTL
			a:run(function(g)
				g._G.control.cut = true
			end)
			universe:advance(30)
			local bToken = b:run(function(g)
				return g._G.job.lock:GetHolder("season_reset").token
			end)
			expect(bToken > staleToken).to.equal(true)
			universe:advance(PERIOD) -- B writes the next period with its token
			local before = readSeason(b)
			expect(before.data.lastResetBy).to.equal("job-B")
			-- A wakes up and writes the period after that with its old lease
			local done, err = a:run(function(g)
				local period = math.floor(g.os.time() / PERIOD) + 1
				return g._G.job:RunPeriod(g._G.lease, period)
			end)
			expect(done).to.equal(false)
			expect(err.kind).to.equal("StaleToken")
			local after = readSeason(b)
			expect(after.appliedCount).to.equal(before.appliedCount)
			expect(after.data.lastResetBy).to.equal("job-B")
			expect(after.data.lastToken).to.equal(bToken)
			universe:close()
		end)
	end)
end
