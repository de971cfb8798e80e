-- RunOnce on an experience guard (ExecutionGuard.new(debug, { scope = "Experience" })), two or more
-- emulated servers sharing MemoryStore and MessagingService (emulator/README.md "Universe specs").
local Helpers = require(script.Parent.crossServerHelpers)

return function()
	describe("RunOnce across the experience", function()
		it("two servers racing one key: fn runs once, the other is blocked with AlreadyRunning naming the holder", function()
			for seed = 1, 4 do
				local universe, servers = Helpers.start(seed)
				local runs, answers = {}, {}
				for _, server in servers do
					server:spawn(function(g)
						local guard = Helpers.guardOf(g)
						local ok, value = guard:RunOnce("arena_init", function()
							table.insert(runs, g.game.JobId)
							task.wait(2)
							return "arena ready"
						end)
						answers[g.game.JobId] = { ok = ok, value = value }
					end)
				end
				universe:advance(5)
				expect(#runs).to.equal(1)
				local winner = runs[1]
				for jobId, answer in answers do
					if jobId == winner then
						expect(answer.ok).to.equal(true)
						expect(answer.value).to.equal("arena ready")
					else
						expect(answer.ok).to.equal(false)
						expect(answer.value.kind).to.equal("AlreadyRunning")
						expect(answer.value.details.holderJobId).to.equal(winner)
						expect(type(answer.value.details.since)).to.equal("number")
						expect(answer.value.message:find(winner, 1, true) ~= nil).to.equal(true)
					end
				end
				universe:close()
			end
		end)

		it("join on another server gets the holder's result, fn running once", function()
			local universe, servers = Helpers.start(21)
			local a, b = servers[1], servers[2]
			local runs = 0
			a:spawn(function(g)
				Helpers.guardOf(g):RunOnce("player_data_42", function()
					runs += 1
					task.wait(3)
					return { coins = 5 }
				end)
			end)
			universe:advance(0.5)
			local answer
			b:spawn(function(g)
				local ok, value = Helpers.guardOf(g):RunOnce("player_data_42", function()
					runs += 1
					return { coins = -1 }
				end, { join = true })
				answer = { ok = ok, value = value }
			end)
			universe:advance(10)
			expect(runs).to.equal(1)
			expect(answer.ok).to.equal(true)
			expect(answer.value.coins).to.equal(5)
			universe:close()
		end)

		it("join still gets the outcome with every MessagingService delivery dropped (it polls MemoryStore)", function()
			-- Polls are rare here (every 30 s at most), so with deliveries on the holder's hint is what wakes
			-- the joiner within a few seconds; with every delivery dropped the poll alone finds the outcome.
			local config = { experience = { maxPollInterval = 30 } }
			for _, dropped in { false, true } do
				local universe, servers = Helpers.start(22)
				local a, b = servers[1], servers[2]
				if dropped then
					universe.cloud.faults:configure({ service = "Messaging", dropRate = 1 })
				end
				local runs, finishedAt = 0, nil
				a:spawn(function(g)
					Helpers.guardOf(g, config):RunOnce("match_7", function()
						runs += 1
						task.wait(20)
						finishedAt = universe.cloud:clock()
						return "match made"
					end)
				end)
				universe:advance(0.5)
				local answer
				b:spawn(function(g)
					local guard = Helpers.guardOf(g, config)
					local ok, value = guard:RunOnce("match_7", function()
						runs += 1
					end, { join = true })
					answer = { ok = ok, value = value, at = universe.cloud:clock(), counts = guard:GetAnalytics().experience }
				end)
				universe:advance(80)
				expect(runs).to.equal(1)
				expect(answer.ok).to.equal(true)
				expect(answer.value).to.equal("match made")
				expect(answer.counts.joinedOtherServer).to.equal(1)
				expect(answer.counts.hintsReceived > 0).to.equal(not dropped)
				if not dropped then
					expect(answer.at - finishedAt < 4).to.equal(true)
				end
				universe:close()
			end
		end)

		it("a joiner of a holder that crashes takes the key over once the lease ends, and runs fn itself", function()
			local universe, servers = Helpers.start(23)
			local a, b = servers[1], servers[2]
			local ran = {}
			a:spawn(function(g)
				Helpers.guardOf(g, { experience = { leaseTtl = 12 } }):RunOnce("season_reset", function()
					table.insert(ran, "A")
					task.wait(100)
					return "A's reset"
				end, { timeout = 200 })
			end)
			universe:advance(1)
			local blocked, answer
			b:spawn(function(g)
				local guard = Helpers.guardOf(g, { experience = { leaseTtl = 12 } })
				blocked = { guard:RunOnce("season_reset", function() end) }
				local ok, value = guard:RunOnce("season_reset", function()
					table.insert(ran, "B")
					return "B's reset"
				end, { join = true })
				answer = { ok = ok, value = value, at = g.os.clock(), counts = guard:GetAnalytics().experience }
			end)
			universe:advance(2)
			expect(blocked[1]).to.equal(false)
			expect(blocked[2].kind).to.equal("AlreadyRunning")
			expect(blocked[2].details.holderJobId).to.equal(a.jobId)
			local crashedAt = universe.cloud:clock()
			a:crash()
			universe:advance(5)
			expect(answer).to.equal(nil) -- A's lease has not ended yet: nobody may take it
			universe:advance(40)
			expect(table.concat(ran, ",")).to.equal("A,B")
			expect(answer.ok).to.equal(true)
			expect(answer.value).to.equal("B's reset")
			expect(answer.counts.takeOvers).to.equal(1)
			expect(universe.cloud:clock() - crashedAt >= 5).to.equal(true)
			universe:close()
		end)

		it("a caller whose thread is cancelled mid-run leaves no lease: another server gets the key when fn ends", function()
			local universe, servers = Helpers.start(27)
			local a, b = servers[1], servers[2]
			local caller = a:spawn(function(g)
				Helpers.guardOf(g):RunOnce("claim_5", function()
					task.wait(4)
					return "claimed"
				end)
			end)
			universe:advance(1)
			task.cancel(caller) -- e.g. a PlayerRemoving handler ending the player's work
			universe:advance(5) -- fn ended at 4 s; its lease was released then, not at its 30 s expiry
			local answer = { b:run(function(g)
				return Helpers.guardOf(g):RunOnce("claim_5", function()
					return "B ran"
				end)
			end) }
			expect(answer[1]).to.equal(true)
			expect(answer[2]).to.equal("B ran")
			universe:close()
		end)

		it("a joiner's joinTimeout ends only its wait, with Timeout naming the holder", function()
			local universe, servers = Helpers.start(24)
			local a, b = servers[1], servers[2]
			a:spawn(function(g)
				Helpers.guardOf(g):RunOnce("slow", function()
					task.wait(20)
				end)
			end)
			universe:advance(0.5)
			local answer
			b:spawn(function(g)
				answer = { Helpers.guardOf(g):RunOnce("slow", function() end, { join = true, joinTimeout = 3 }) }
			end)
			universe:advance(5)
			expect(answer[1]).to.equal(false)
			expect(answer[2].kind).to.equal("Timeout")
			expect(answer[2].details.holderJobId).to.equal(a.jobId)
			universe:close()
		end)

		it("the holder's failure reaches a joiner on another server as a typed error", function()
			local universe, servers = Helpers.start(25)
			local a, b = servers[1], servers[2]
			a:spawn(function(g)
				Helpers.guardOf(g):RunOnce("broken", function()
					task.wait(2)
					error("store down")
				end)
			end)
			universe:advance(0.5)
			local answer
			b:spawn(function(g)
				answer = { Helpers.guardOf(g):RunOnce("broken", function() end, { join = true }) }
			end)
			universe:advance(10)
			expect(answer[1]).to.equal(false)
			expect(answer[2].kind).to.equal("ExecutionFailed")
			expect(answer[2].message:find("store down", 1, true) ~= nil).to.equal(true)
			expect(answer[2].details.holderJobId).to.equal(a.jobId)
			universe:close()
		end)

		it("in-server fast paths stay in front: a cached hit and a key running here never touch MemoryStore", function()
			local universe, servers = Helpers.start(26, 1)
			local a = servers[1]
			a:run(function(g)
				Helpers.guardOf(g):RunOnce("local_key", function()
					return "cached here"
				end)
			end)
			universe.cloud.faults:configure({ service = "MemoryStore", errorRate = 1 })
			local hit = { a:run(function(g)
				return Helpers.guardOf(g):RunOnce("local_key", function() end)
			end) }
			expect(hit[1]).to.equal(false)
			expect(hit[2]).to.equal("cached here")
			universe.cloud.faults:clear()
			local second
			a:spawn(function(g)
				Helpers.guardOf(g):RunOnce("busy_key", function()
					task.wait(5)
				end)
			end)
			universe:advance(1)
			universe.cloud.faults:configure({ service = "MemoryStore", errorRate = 1 })
			a:spawn(function(g)
				second = { Helpers.guardOf(g):RunOnce("busy_key", function() end) }
			end)
			universe:advance(0.1)
			expect(second[1]).to.equal(false)
			expect(second[2]).to.equal(nil) -- refused here, as on a server guard: no AlreadyRunning from MemoryStore
			universe:close()
		end)
	end)
end
