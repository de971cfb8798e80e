-- ProfileStore (@rbxts/profile-store 1.0.3: loleris's session-locked player data, UNMODIFIED) on the
-- emulated DataStoreService and MessagingService, across real servers of a universe: a session is held
-- by one server at a time, moves only when its holder released it (asked through MessagingService) or,
-- after the holder crashed, by ProfileStore's own steal rule; no saved data is lost.
local function profileStoreOf(g)
	return g.require(g.game.ReplicatedStorage.rbxts_include.node_modules["@rbxts"]["profile-store"].src)
end

-- Starts a session for `key` on `server` (in a thread of it); `record` gets the profile and the store
-- clock when StartSessionAsync returned, and when the session ended there.
local function startSession(universe, server, key: string, record: { [string]: any })
	server:spawn(function(g)
		local store = profileStoreOf(g).New("PlayerData", { Coins = 0 })
		record.startedAsking = universe.cloud:clock()
		local profile = store:StartSessionAsync(key, {
			Cancel = function()
				return record.cancel == true
			end,
		})
		record.gotAt = universe.cloud:clock()
		record.profile = profile
		if profile then
			record.coinsAtStart = profile.Data.Coins
			profile.OnSessionEnd:Connect(function()
				record.endedAt = universe.cloud:clock()
			end)
		end
	end)
end

return function()
	describe("ProfileStore on a universe", function()
		it("the player hops to B: B gets the session only after A released it, with A's data", function()
			local universe = Universe.new({ seed = 31 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			universe:join(101, a)
			local onA, onB = {}, {}
			startSession(universe, a, "Player_101", onA)
			universe:advance(2)
			expect(onA.profile).to.be.ok()
			onA.profile.Data.Coins += 10
			a:run(function(g)
				-- the game's own leave handler, as ProfileStore's docs write it
				g.game:GetService("Players").PlayerRemoving:Connect(function()
					onA.profile:EndSession()
				end)
			end)
			universe:hop(101, b)
			startSession(universe, b, "Player_101", onB)
			universe:advance(30)
			expect(onB.profile).to.be.ok()
			expect(onB.coinsAtStart).to.equal(10)
			expect(onA.endedAt).to.be.ok()
			expect(onA.endedAt <= onB.gotAt).to.equal(true)
			expect(onA.profile:IsActive()).to.equal(false)
			expect(onB.profile:IsActive()).to.equal(true)
			universe:close()
		end)

		it("B asks while A still holds it: A ends its session (told through MessagingService) before B gets it", function()
			local universe = Universe.new({ seed = 32 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			local onA, onB = {}, {}
			startSession(universe, a, "Player_102", onA)
			universe:advance(2)
			onA.profile.Data.Coins += 7
			startSession(universe, b, "Player_102", onB)
			universe:advance(1)
			expect(onB.gotAt).to.equal(nil) -- A still holds it
			expect(onA.profile:IsActive()).to.equal(true)
			universe:advance(60)
			expect(onB.profile).to.be.ok()
			expect(onB.coinsAtStart).to.equal(7)
			expect(onA.endedAt).to.be.ok()
			expect(onA.endedAt <= onB.gotAt).to.equal(true)
			-- released on request, well before ProfileStore's 40 s steal
			expect(onB.gotAt - onB.startedAsking < 40).to.equal(true)
			universe:close()
		end)

		it("A shuts down gracefully: ProfileStore's BindToClose saves and releases, B gets it at once", function()
			local universe = Universe.new({ seed = 34 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			local onA, onB = {}, {}
			startSession(universe, a, "Player_104", onA)
			universe:advance(2)
			onA.profile.Data.Coins += 3 -- not saved yet: only the shutdown's release saves it
			local summary = a:shutdown()
			expect(summary.timedOut).to.equal(false)
			expect(onA.endedAt).to.be.ok()
			startSession(universe, b, "Player_104", onB)
			universe:advance(10)
			expect(onB.profile).to.be.ok()
			expect(onB.coinsAtStart).to.equal(3)
			expect(onB.gotAt - onB.startedAsking < 5).to.equal(true)
			universe:close()
		end)

		it("A crashes holding the session: B steals it by ProfileStore's rule; what A saved is kept", function()
			local universe = Universe.new({ seed = 33 })
			local a = universe:startServer({ name = "A" })
			local b = universe:startServer({ name = "B" })
			local onA, onB = {}, {}
			startSession(universe, a, "Player_103", onA)
			universe:advance(2)
			onA.profile.Data.Coins += 5
			onA.profile:Save()
			universe:advance(5)
			onA.profile.Data.Coins += 1000 -- never saved: A crashes before its next save
			a:crash()
			startSession(universe, b, "Player_103", onB)
			universe:advance(30)
			expect(onB.gotAt).to.equal(nil) -- the dead session still looks held
			universe:advance(100)
			expect(onB.profile).to.be.ok()
			expect(onB.coinsAtStart).to.equal(5)
			-- ProfileStore steals a session whose holder does not answer after SESSION_STEAL (40 s)
			local waited = onB.gotAt - onB.startedAsking
			expect(waited >= 40 and waited < 120).to.equal(true)
			expect(onA.endedAt).to.equal(nil) -- a crashed server runs nothing, not even OnSessionEnd
			universe:close()
		end)
	end)
end
