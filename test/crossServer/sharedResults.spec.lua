-- The experience's result cache (experience.shareResults, kept in MemoryStore for resultTtl), its
-- 32 KB limit and non-JSON results, AcquireLock/ReleaseLock across servers, and bad input.
local Helpers = require(script.Parent.crossServerHelpers)

local SHARED = { resultTtl = 600, experience = { shareResults = true } }


return function()
	describe("the experience's shared results", function()
		it("a result one server computed is reused by another server without running fn", function()
			local universe, servers = Helpers.start(31)
			local a, b = servers[1], servers[2]
			local runs = 0
			local first = { a:run(function(g)
				return Helpers.guardOf(g, SHARED):RunOnce("leaderboard_week_12", function()
					runs += 1
					task.wait(1)
					return { top = { 7, 3, 9 } }
				end)
			end) }
			expect(first[1]).to.equal(true)
			local second = { b:run(function(g)
				local guard = Helpers.guardOf(g, SHARED)
				local ok, value = guard:RunOnce("leaderboard_week_12", function()
					runs += 1
				end)
				return ok, value, guard:GetAnalytics().experience.sharedHits, guard:HasResult("leaderboard_week_12")
			end) }
			expect(runs).to.equal(1)
			expect(second[1]).to.equal(false) -- answered from a cached result, as on one server
			expect(second[2].top[3]).to.equal(9)
			expect(second[3]).to.equal(1)
			expect(second[4]).to.equal(true) -- kept as B's own cached result: its next call is a local hit
			universe:close()
		end)

		it("without shareResults another server runs the key again once the first run ended", function()
			local universe, servers = Helpers.start(32)
			local a, b = servers[1], servers[2]
			local runs = 0
			for _, server in { a, b } do
				server:run(function(g)
					return Helpers.guardOf(g):RunOnce("warmup", function()
						runs += 1
						return "warm"
					end)
				end)
			end
			expect(runs).to.equal(2)
			universe:close()
		end)

		it("a result over 32 KB as JSON gets ResultTooLarge and is not written; the holder keeps it", function()
			local universe, servers = Helpers.start(33)
			local a, b = servers[1], servers[2]
			local big = string.rep("x", 40000)
			local answer = { a:run(function(g)
				return Helpers.guardOf(g, SHARED):RunOnce("big", function()
					return big
				end)
			end) }
			expect(answer[1]).to.equal(false)
			expect(answer[2].kind).to.equal("ResultTooLarge")
			expect(answer[2].details.size > 32768).to.equal(true)
			expect(answer[2].details.limit).to.equal(32768)
			expect(answer[2].details.result).to.equal(big)
			expect(answer[2].message:find("32768", 1, true) ~= nil).to.equal(true)
			local stored = b:run(function(g)
				return g.game:GetService("MemoryStoreService"):GetHashMap("ExecutionGuard.Runs"):GetAsync("ExecutionGuard/big")
			end)
			expect(stored.result).to.equal(nil)
			expect(stored.shared).to.equal(nil)
			local runs = 0
			b:run(function(g)
				return Helpers.guardOf(g, SHARED):RunOnce("big", function()
					runs += 1
					return "small"
				end)
			end)
			expect(runs).to.equal(1) -- nothing shared: B ran it itself
			universe:close()
		end)

		it("a result JSON cannot hold gets ResultNotSerializable naming the part", function()
			local universe, servers = Helpers.start(34, 1)
			local answer = { servers[1]:run(function(g)
				return Helpers.guardOf(g, SHARED):RunOnce("with_function", function()
					return { name = "x", callback = function() end }
				end)
			end) }
			expect(answer[1]).to.equal(false)
			expect(answer[2].kind).to.equal("ResultNotSerializable")
			expect(answer[2].message:find("result.callback", 1, true) ~= nil).to.equal(true)
			universe:close()
		end)
	end)

	describe("AcquireLock across the experience", function()
		it("a key held on one server is refused on another, for AcquireLock and RunOnce, until released", function()
			local universe, servers = Helpers.start(35)
			local a, b = servers[1], servers[2]
			expect(a:run(function(g)
				return Helpers.guardOf(g):AcquireLock("trade_9")
			end)).to.equal(true)
			local onB = { b:run(function(g)
				local guard = Helpers.guardOf(g)
				local got = guard:AcquireLock("trade_9", 2)
				local ok, err = guard:RunOnce("trade_9", function() end)
				return got, ok, err
			end) }
			expect(onB[1]).to.equal(false)
			expect(onB[2]).to.equal(false)
			expect(onB[3].kind).to.equal("AlreadyRunning")
			expect(onB[3].details.holderJobId).to.equal(a.jobId)
			a:run(function(g)
				Helpers.guardOf(g):ReleaseLock("trade_9")
			end)
			expect(b:run(function(g)
				return Helpers.guardOf(g):AcquireLock("trade_9")
			end)).to.equal(true)
			universe:close()
		end)

		it("a waiting AcquireLock gets the key once the other server releases it within its timeout", function()
			local universe, servers = Helpers.start(36)
			local a, b = servers[1], servers[2]
			a:run(function(g)
				Helpers.guardOf(g):AcquireLock("bank_1")
			end)
			local got
			b:spawn(function(g)
				got = Helpers.guardOf(g):AcquireLock("bank_1", 10)
			end)
			universe:advance(3)
			expect(got).to.equal(nil)
			a:run(function(g)
				Helpers.guardOf(g):ReleaseLock("bank_1")
			end)
			universe:advance(6)
			expect(got).to.equal(true)
			universe:close()
		end)
	end)

	describe("bad input to the experience scope", function()
		local function newGuard(config)
			local universe, servers = Helpers.start(37, 1)
			local ok, err = pcall(function()
				servers[1]:run(function(g)
					local Guard = g.require(g.game.ReplicatedStorage.Shared.guard)
					return Guard.ExecutionGuard.new(false, config)
				end)
			end)
			universe:close()
			return ok, err
		end

		it("names the argument, what was given and what to do", function()
			local cases = {
				{ { scope = "World" }, "config.scope" },
				{ { experience = { name = "x" } }, "config.experience" },
				{ { scope = "Experience", experience = { shareResult = true } }, "did you mean 'shareResults'" },
				{ { scope = "Experience", experience = { shareResults = true } }, "config.resultTtl" },
				{ { scope = "Experience", resultTtl = 4000000, experience = { shareResults = true } }, "45 days" },
				{ { scope = "Experience", experience = { name = string.rep("n", 25) } }, "config.experience.name" },
				{ { scope = "Experience", experience = { leaseTtl = 1 } }, "config.experience.leaseTtl" },
				{ { scope = "Experience", experience = { leases = {} } }, "tryAcquire" },
			}
			for _, case in cases do
				local ok, err = newGuard(case[1])
				expect(ok).to.equal(false)
				expect(err.kind).to.equal("InvalidArgument")
				expect(tostring(err):find(case[2], 1, true) ~= nil).to.equal(true)
			end
		end)
	end)
end
