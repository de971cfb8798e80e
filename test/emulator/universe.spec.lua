-- Universe specs: a spec starts a universe of servers (the `Universe` global the emulator gives specs),
-- runs code inside chosen servers, crashes or shuts them down, and reads the shared backend. These pin
-- the universe itself with a tiny lease (universeLease.lua) over a test backend; the store services'
-- own specs use the real DataStore / MemoryStore the same way.
local LEASE_PATH = "ServerScriptService.Tests.emulator.universeLease"

local function startPair(seed: number)
	local universe = Universe.new({ seed = seed })
	local store = universe.cloud:backend("SpecLease", function(cloud)
		return require(script.Parent.universeLease).newStore(cloud)
	end)
	local a = universe:startServer({ name = "A" })
	local b = universe:startServer({ name = "B" })
	return universe, store, a, b
end

return function()
	describe("a universe started by a spec", function()
		it("two servers racing one lease on one clock: exactly one holds it", function()
			for seed = 1, 5 do
				local universe, store, a, b = startPair(seed)
				local wins = {}
				for _, server in { a, b } do
					server:spawn(function(g)
						local Lease = g.require(g.game.ServerScriptService.Tests.emulator.universeLease)
						if Lease.tryClaim(store, g.game.JobId, 30) then
							table.insert(wins, g.game.JobId)
						end
					end)
				end
				universe:advance(1)
				expect(#wins).to.equal(1)
				expect(store.holder).to.equal(wins[1])
				universe:close()
			end
		end)

		it("the holder crashes: its renewals stop at once and the other server takes over after expiry", function()
			local universe, store, a, b = startPair(11)
			a:run(function(g)
				local Lease = g.require(g.game.ServerScriptService.Tests.emulator.universeLease)
				Lease.keep(store, "A", 15, 5)
			end)
			universe:advance(1)
			expect(store.holder).to.equal("A")
			b:spawn(function(g)
				local Lease = g.require(g.game.ServerScriptService.Tests.emulator.universeLease)
				Lease.keep(store, "B", 15, 2)
			end)
			universe:advance(20)
			expect(store.holder).to.equal("A")
			local renewalsAtCrash = a:require(LEASE_PATH).renewals()
			local crashedAt = universe.cloud:clock()
			a:crash()
			universe:advance(10)
			expect(store.holder).to.equal("A") -- not expired yet: nobody may take it
			universe:advance(8)
			expect(store.holder).to.equal("B")
			expect(store.expiresAt - 15 <= crashedAt + 15 + 2.5).to.equal(true)
			expect(a:state()).to.equal("crashed")
			expect(b:require(LEASE_PATH).renewals() > 0).to.equal(true)
			expect(renewalsAtCrash > 3).to.equal(true)
			universe:close()
		end)

		it("a graceful shutdown releases the lease in BindToClose; the other server gets it at its next try", function()
			local universe, store, a, b = startPair(12)
			a:run(function(g)
				local Lease = g.require(g.game.ServerScriptService.Tests.emulator.universeLease)
				Lease.keep(store, "A", 60, 5)
				g.game:BindToClose(function()
					Lease.release(store, "A")
				end)
			end)
			universe:advance(1)
			b:spawn(function(g)
				local Lease = g.require(g.game.ServerScriptService.Tests.emulator.universeLease)
				Lease.keep(store, "B", 60, 2)
			end)
			universe:advance(5)
			expect(store.holder).to.equal("A")
			local summary = a:shutdown()
			expect(summary.callbacks).to.equal(1)
			expect(store.holder).to.equal(nil)
			universe:advance(3)
			expect(store.holder).to.equal("B")
			universe:close()
		end)

		it("runs code in the server it is given: its own game, module copy, _G and skewed os.time", function()
			local universe = Universe.new({ seed = 2 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B", osTimeSkew = 120 })
			a:run(function(g)
				g._G.where = "A"
			end)
			expect(b:run(function(g)
				return g._G.where
			end)).to.equal(nil)
			expect(a:require(LEASE_PATH)).never.to.equal(b:require(LEASE_PATH))
			expect(a.game).never.to.equal(b.game)
			local skew = b:run(function(g)
				return g.os.time()
			end) - a:run(function(g)
				return g.os.time()
			end)
			expect(skew).to.equal(120)
			expect(function()
				a:run(function()
					error("inside A")
				end)
			end).to.throw("inside A")
			universe:close()
		end)
	end)
end
