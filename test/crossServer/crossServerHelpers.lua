-- Shared set-up of the cross-server specs: a universe of servers, each making its own experience
-- guard (on the real MemoryStore lease lock, the guard's default) from its own copy of the library.
local Helpers = {}

-- Makes (once per server) and returns that server's experience guard, kept in the server's _G.
function Helpers.guardOf(g, config)
	if g._G.experienceGuard == nil then
		local Guard = g.require(g.game.ReplicatedStorage.Shared.guard)
		local full = table.clone(config or {})
		full.scope = "Experience"
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
