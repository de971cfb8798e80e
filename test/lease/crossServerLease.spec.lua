-- The MemoryStore lease (KeyedLock { strategy = "MemoryStore" }) across REAL servers of a universe:
-- each server has its own engine copy, guard module and MemoryStoreService facade over the one
-- backend (emulator/README.md "Universe specs").
local HELPERS = "ServerScriptService.Tests.lease.leaseSpecHelpers"

local function helpersOf(g)
	return g.require(g.game.ServerScriptService.Tests.lease.leaseSpecHelpers)
end

-- Reads the lease item straight from the universe's MemoryStore, through a third server.
local function readRecord(universe, observer, storeKey)
	return observer:run(function(g)
		return g.game:GetService("MemoryStoreService"):GetHashMap("ExecutionGuard.Leases"):GetAsync(storeKey)
	end)
end

return function()
	describe("a MemoryStore lease across servers", function()
		it("two servers race one lease: exactly one holds it, the other's AlreadyRunning names the holder's JobId and since when", function()
			for seed = 1, 6 do
				local universe = Universe.new({ seed = seed })
				local a = universe:startServer({ name = "A", jobId = "job-A" })
				local b = universe:startServer({ name = "B", jobId = "job-B" })
				local outcomes = {}
				for _, server in { a, b } do
					server:spawn(function(g)
						local lock = helpersOf(g).newLock(g)
						local handle, err = lock:TryAcquire("season_reset")
						outcomes[server.name] = { handle = handle, err = err, jobId = g.game.JobId }
					end)
				end
				universe:advance(2)
				local winner = if outcomes.A.handle then outcomes.A else outcomes.B
				local loser = if outcomes.A.handle then outcomes.B else outcomes.A
				expect(winner.handle).to.be.ok()
				expect(loser.handle).to.equal(nil)
				expect(loser.err.kind).to.equal("AlreadyRunning")
				expect(loser.err.details.holderJobId).to.equal(winner.jobId)
				expect(loser.err.details.token).to.equal(winner.handle.token)
				expect(type(loser.err.details.since)).to.equal("number")
				expect(string.find(loser.err.message, "server " .. winner.jobId .. " since ", 1, true) ~= nil).to.equal(true)
				local record = readRecord(universe, a, "Spec/season_reset")
				expect(record.jobId).to.equal(winner.jobId)
				expect(record.owner).to.equal(winner.handle.owner)
				universe:close()
			end
		end)

		it("the holder crashes: another server takes over after the TTL with a LARGER token", function()
			local universe = Universe.new({ seed = 21 })
			local a = universe:startServer({ name = "A", jobId = "job-A" })
			local b = universe:startServer({ name = "B", jobId = "job-B" })
			local tokenA = a:run(function(g)
				local lock = helpersOf(g).newLock(g)
				local handle = lock:TryAcquire("season_reset")
				g._G.handle = handle
				return handle.token
			end)
			universe:advance(20) -- A renews (every 5 s) while B has not asked yet
			local before = readRecord(universe, b, "Spec/season_reset")
			expect(before.jobId).to.equal("job-A")
			expect(before.expiresAt > universe.cloud:clock() + 5).to.equal(true) -- renewed: not the first expiry
			local granted
			b:spawn(function(g)
				local lock = helpersOf(g).newLock(g)
				local handle, err = lock:Acquire("season_reset", { timeout = 120 })
				granted = { handle = handle, err = err, at = universe.cloud:clock() }
			end)
			universe:advance(3)
			expect(granted).to.equal(nil) -- A is alive and renewing: B waits
			local last = readRecord(universe, b, "Spec/season_reset")
			a:crash()
			while granted == nil do
				universe:advance(1)
			end
			expect(granted.handle).to.be.ok()
			expect(granted.handle.token > tokenA).to.equal(true)
			-- not before A's last renewal ran out (plus the skew allowance), and soon after it
			expect(granted.at >= last.expiresAt + 2).to.equal(true)
			expect(granted.at <= last.expiresAt + 2 + 10).to.equal(true)
			universe:close()
		end)

		it("an expired holder's release does not free the new holder's lease (Laravel #20709, across servers)", function()
			local universe = Universe.new({ seed = 22 })
			local a = universe:startServer({ name = "A", jobId = "job-A" })
			local b = universe:startServer({ name = "B", jobId = "job-B" })
			a:run(function(g)
				local lock, _, control = helpersOf(g).newLock(g)
				g._G.lock, g._G.control = lock, control
				g._G.handle = lock:TryAcquire("season_reset")
			end)
			-- A is cut off from MemoryStore (a partition): its renewals fail, its lease runs out
			a:run(function(g)
				g._G.control.cut = true
			end)
			universe:advance(20)
			local bHandle = b:run(function(g)
				local lock = helpersOf(g).newLock(g)
				g._G.lock = lock
				local handle, err = lock:TryAcquire("season_reset")
				assert(handle, tostring(err))
				return handle
			end)
			-- the partition heals; A's late release must not touch B's lease
			local released = a:run(function(g)
				g._G.control.cut = false
				return g._G.handle:Release()
			end)
			expect(released).to.equal(false)
			local record = readRecord(universe, a, "Spec/season_reset")
			expect(record.owner).to.equal(bHandle.owner)
			expect(record.released).to.equal(nil)
			expect(b:run(function(g)
				return g._G.lock:IsLocked("season_reset")
			end)).to.equal(true)
			local aSees = a:run(function(g)
				local _, err = g._G.lock:TryAcquire("season_reset")
				return err
			end)
			expect(aSees.kind).to.equal("AlreadyRunning")
			expect(aSees.details.holderJobId).to.equal("job-B")
			universe:close()
		end)

		it("a renewal that fails calls onLockLost before the lease expires", function()
			local universe = Universe.new({ seed = 23 })
			local a = universe:startServer({ name = "A", jobId = "job-A" })
			local lost = {}
			a:run(function(g)
				local lock = helpersOf(g).newLock(g, {
					onLockLost = function(key, handle, reason)
						table.insert(lost, {
							key = key,
							reason = reason,
							now = universe.cloud:clock(),
							recordExpiresAt = handle.record.expiresAt,
							valid = handle:IsValid(),
						})
					end,
				})
				g._G.handle = lock:TryAcquire("season_reset")
			end)
			universe:advance(1)
			universe.cloud.faults:configure({ service = "MemoryStore", kind = "UpdateAsync", errorRate = 1 })
			universe:advance(16)
			universe.cloud.faults:clear("MemoryStore")
			expect(#lost).to.equal(1)
			expect(lost[1].key).to.equal("season_reset")
			expect(lost[1].reason).to.equal("RenewalFailed")
			expect(lost[1].valid).to.equal(false)
			expect(lost[1].now < lost[1].recordExpiresAt).to.equal(true)
			-- nobody else could hold it yet: the item was still A's when A gave up
			local record = readRecord(universe, a, "Spec/season_reset")
			expect(record.jobId).to.equal("job-A")
			universe:close()
		end)

		it("a renewal that finds another owner calls onLockLost with AnotherOwner", function()
			local universe = Universe.new({ seed = 24 })
			local a = universe:startServer({ name = "A", jobId = "job-A" })
			local b = universe:startServer({ name = "B", jobId = "job-B" })
			local reasons = {}
			a:run(function(g)
				local lock = helpersOf(g).newLock(g, {
					onLockLost = function(_, _, reason)
						table.insert(reasons, reason)
					end,
				})
				g._G.handle = lock:TryAcquire("season_reset")
			end)
			-- B overwrites the item behind A's back (what a server with a skewed clock could do)
			b:run(function(g)
				g.game:GetService("MemoryStoreService"):GetHashMap("ExecutionGuard.Leases"):UpdateAsync("Spec/season_reset", function(current)
					current.owner = "job-B:intruder"
					current.jobId = "job-B"
					current.token += 1
					return current
				end, 600)
			end)
			universe:advance(6)
			expect(table.concat(reasons, ",")).to.equal("AnotherOwner")
			expect(a:run(function(g)
				return g._G.handle:IsValid()
			end)).to.equal(false)
			universe:close()
		end)

		it("a graceful shutdown's ReleaseAll (BindToClose) frees the lease at once, keeping the token", function()
			local universe = Universe.new({ seed = 25 })
			local a = universe:startServer({ name = "A", jobId = "job-A" })
			local b = universe:startServer({ name = "B", jobId = "job-B" })
			local tokenA = a:run(function(g)
				local lock = helpersOf(g).newLock(g)
				g.game:BindToClose(function()
					lock:ReleaseAll()
				end)
				return lock:TryAcquire("season_reset").token
			end)
			a:shutdown()
			local record = readRecord(universe, b, "Spec/season_reset")
			expect(record.released).to.equal(true)
			expect(record.token).to.equal(tokenA)
			local tokenB = b:run(function(g)
				local handle, err = helpersOf(g).newLock(g):TryAcquire("season_reset")
				assert(handle, tostring(err))
				return handle.token
			end)
			expect(tokenB).to.equal(tokenA + 1)
			universe:close()
		end)
		it("clock skew within maxClockSkew + localMargin never makes two holders; beyond it the early taker's token is still larger", function()
			local function race(skew)
				local universe = Universe.new({ seed = 26 })
				local a = universe:startServer({ name = "A", jobId = "job-A" })
				local b = universe:startServer({ name = "B", jobId = "job-B", osTimeSkew = skew })
				local lostAt
				local tokenA = a:run(function(g)
					local lock, _, control = helpersOf(g).newLock(g, {
						onLockLost = function()
							lostAt = universe.cloud:clock()
						end,
					})
					local handle = lock:TryAcquire("season_reset")
					control.cut = true -- A keeps its lease but can no longer renew it
					return handle.token
				end)
				local granted
				b:spawn(function(g)
					-- TryAcquire every 0.5 s (not Acquire's backoff): B gets it as soon as its clock allows
					local lock = helpersOf(g).newLock(g)
					local handle = lock:TryAcquire("season_reset")
					while handle == nil do
						g.task.wait(0.5)
						handle = lock:TryAcquire("season_reset")
					end
					granted = { at = universe.cloud:clock(), token = handle.token }
				end)
				universe:advance(30)
				universe:close()
				return lostAt, granted, tokenA
			end
			-- B's clock 2.5 s ahead (< maxClockSkew 2 + localMargin 1): B only gets it after A gave up
			local lostAt, granted, tokenA = race(2.5)
			expect(lostAt).to.be.ok()
			expect(granted.at >= lostAt).to.equal(true)
			expect(granted.token > tokenA).to.equal(true)
			-- 10 s ahead: past the assumption B takes it while A still trusts it, with a larger token
			lostAt, granted, tokenA = race(10)
			expect(granted.at < lostAt).to.equal(true)
			expect(granted.token > tokenA).to.equal(true)
		end)
	end)
end
