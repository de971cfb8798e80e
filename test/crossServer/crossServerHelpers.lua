-- Shared set-up of the cross-server specs: a universe of servers, each making its own experience
-- guard from its own copy of the library (g.require), and a per-universe tally of fn calls.
local Helpers = {}

Helpers.SPEC_LEASES = "ServerScriptService.Tests.crossServer.specLeases"

-- Makes (once per server) and returns that server's experience guard, kept in the server's _G.
function Helpers.guardOf(g, config)
	if g._G.experienceGuard == nil then
		local Guard = g.require(g.game.ReplicatedStorage.Shared.guard)
		local SpecLeases = g.require(g.game.ServerScriptService.Tests.crossServer.specLeases)
		local experience = table.clone(config and config.experience or {})
		experience.leases = experience.leases or SpecLeases.new(g, experience.leaseTtl or 30)
		local full = table.clone(config or {})
		full.scope = "Experience"
		full.experience = experience
		g._G.experienceGuard = Guard.ExecutionGuard.new(false, full)
	end
	return g._G.experienceGuard
end

function Helpers.start(seed: number, count: number?)
	local universe = Universe.new({ seed = seed })
	local servers = {}
	for index = 1, count or 2 do
		table.insert(servers, universe:startServer({ name = string.char(64 + index) }))
	end
	return universe, servers
end

return Helpers
