-- PlayerDataService across real servers of a universe, on the real ProfileStore 1.0.3 (each server its
-- own copy; the emulated DataStores and MessagingService shared): a hop, a crash, a steal, a load
-- that times out inside ProfileStore, duplicate loads. The same rules on a one-server fake are in
-- GameServices/PlayerPurge/LoadFailure.spec.ts.
local UniverseGame = require(script.Parent.universeGame)

local function profileStoreOf(g)
	return g.require(g.game.ReplicatedStorage.rbxts_include.node_modules["@rbxts"]["profile-store"].src)
end

-- What the DataStore holds for the player right now, read without a session (ProfileStore:GetAsync).
local function storedCoins(server, userId: number)
	return server:run(function(g)
		local profile = profileStoreOf(g).New("PlayerData", {}):GetAsync("Player_" .. userId)
		return profile and profile.Data.coins
	end)
end

return function()
	describe("PlayerDataService across servers (ProfileStore)", function()
		it("a hop from A to B within one second: B gets the profile only after A released it, with A's coins (no MessagingService needed)", function()
			local universe = Universe.new({ seed = 41, hopDelay = 0.5 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			local onA = UniverseGame.boot(universe, a)
			local onB = UniverseGame.boot(universe, b)
			-- A's last save is slow, so B asks while A still holds the key; and ProfileStore's "please
			-- release" message never arrives, so only A's own EndSession on leave can free the key in time.
			universe.cloud.faults:configure({ service = "DataStore", kind = "UpdateAsync", latency = { min = 1, max = 1 } })
			universe.cloud.faults:configure({ service = "Messaging", dropRate = 1 })
			local player = universe:join(201, a)
			universe:advance(5)
			a:run(function()
				onA.playerData:AddCoins(player, 50) -- never saved before the hop: only A's release writes it
			end)
			universe:hop(201, b)
			universe:advance(20)
			local data = UniverseGame.dataOn(b, onB, 201)
			expect(data).to.be.ok()
			expect(data.coins).to.equal(50)
			local released = onA.find("Player201: saved (50 coins), session released")
			local loaded = onB.find("Player201: loaded (50 coins")
			expect(released).to.be.ok()
			expect(loaded).to.be.ok()
			expect(released.at <= loaded.at).to.equal(true)
			-- within the 10 s load timeout: ProfileStore's release-and-reread, not its 40 s steal
			expect(onB.find("starting the data session of Player201").at + 10 > loaded.at).to.equal(true)
			universe:close()
		end)

		it("A crashes holding the key: a 10 s load on B times out (kick, nothing saved); C gets it by ProfileStore's steal with what A saved", function()
			local universe = Universe.new({ seed = 42 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			local c = universe:startServer({ name = "C" })
			local onA = UniverseGame.boot(universe, a)
			local onB = UniverseGame.boot(universe, b)
			local onC = UniverseGame.boot(universe, c, { loadTimeoutSeconds = 90 })
			local player = universe:join(202, a)
			universe:advance(3)
			a:run(function()
				onA.playerData:AddCoins(player, 5)
				expect(onA.playerData:SaveData(player)).to.equal(true)
				onA.playerData:AddCoins(player, 1000) -- never saved: A crashes first
			end)
			a:crash()
			universe:join(202, b)
			universe:advance(15)
			expect(UniverseGame.playerIn(b, 202)).to.equal(nil) -- kicked at 10 s
			expect(onB.find("save refused, data never loaded (load timed out after 10 s)")).to.be.ok()
			expect(storedCoins(c, 202)).to.equal(5)
			local askedAt = universe.cloud:clock()
			universe:join(202, c)
			universe:advance(100)
			local data = UniverseGame.dataOn(c, onC, 202)
			expect(data).to.be.ok()
			expect(data.coins).to.equal(5) -- what A saved; A's unsaved 1000 died with it
			local waited = onC.find("Player202: loaded").at - askedAt
			expect(waited >= 40 and waited < 90).to.equal(true) -- ProfileStore's SESSION_STEAL rule
			universe:close()
		end)

		it("a load timed out inside ProfileStore's store call leaves ProfileStore working: the rejoin loads", function()
			local universe = Universe.new({ seed = 43 })
			local a = universe:startServer({ name = "A" })
			local onA = UniverseGame.boot(universe, a)
			local first = universe:join(203, a)
			universe:advance(3)
			a:run(function()
				onA.playerData:AddCoins(first, 7)
			end)
			universe:leave(203)
			universe:advance(3)
			expect(storedCoins(a, 203)).to.equal(7)
			universe.cloud.faults:configure({ service = "DataStore", kind = "UpdateAsync", latency = { min = 15, max = 15 } })
			universe:join(203, a)
			universe:advance(12)
			expect(UniverseGame.playerIn(a, 203)).to.equal(nil) -- kicked at 10 s, mid-UpdateAsync
			universe.cloud.faults:clear("DataStore")
			universe:advance(10) -- the slow call has returned; ProfileStore dropped it (Cancel)
			universe:join(203, a)
			universe:advance(5)
			local data = UniverseGame.dataOn(a, onA, 203)
			expect(data).to.be.ok()
			expect(data.coins).to.equal(7)
			expect(storedCoins(a, 203)).to.equal(7)
			universe:close()
		end)

		it("duplicate LoadData calls join one StartSessionAsync", function()
			local universe = Universe.new({ seed = 44 })
			local a = universe:startServer({ name = "A" })
			local onA = UniverseGame.boot(universe, a)
			universe.cloud.faults:configure({ service = "DataStore", kind = "UpdateAsync", latency = { min = 1, max = 1 } })
			local player = universe:join(204, a) -- PlayerAdded's LoadData is the first
			local results = {}
			for index = 1, 3 do
				a:spawn(function()
					results[index] = onA.playerData:LoadData(player)
				end)
			end
			universe:advance(5)
			expect(onA.count("starting the data session of Player204")).to.equal(1)
			expect(results[1]).to.be.ok()
			expect(results[2]).to.equal(results[1])
			expect(results[3]).to.equal(results[1])
			universe:close()
		end)

		it("another server takes the key: A's next save finds out, A kicks the player and saves nothing more", function()
			local universe = Universe.new({ seed = 45 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			local onA = UniverseGame.boot(universe, a)
			local player = universe:join(205, a)
			universe:advance(3)
			a:run(function()
				onA.playerData:AddCoins(player, 9)
				expect(onA.playerData:SaveData(player)).to.equal(true)
			end)
			local stolen = b:run(function(g)
				return profileStoreOf(g).New("PlayerData", {}):StartSessionAsync("Player_205", { Steal = true })
			end)
			expect(stolen.Data.coins).to.equal(9)
			local saved = a:run(function()
				onA.playerData:AddCoins(player, 100)
				return onA.playerData:SaveData(player)
			end)
			expect(saved).to.equal(false)
			universe:advance(1)
			expect(UniverseGame.playerIn(a, 205)).to.equal(nil) -- kicked
			expect(onA.find("save refused, data never loaded (ProfileStore ended the session")).to.be.ok()
			expect(storedCoins(b, 205)).to.equal(9)
			universe:close()
		end)
	end)
end
