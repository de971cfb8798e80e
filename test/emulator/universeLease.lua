-- A tiny lease over a universe spec's shared test backend (universe.spec.lua): what the next issue's
-- leases do, cut to the bone, so the universe's crash / shutdown / one-clock behaviour can be pinned
-- without the real stores. Each server requires its own copy (module locals are per server).
local Lease = {}

local renewals = 0

-- The store a spec makes with universe.cloud:backend: one per universe, shared by every server.
function Lease.newStore(cloud)
	return {
		holder = nil,
		expiresAt = 0,
		version = 0,
		clock = function()
			return cloud:clock()
		end,
		latency = function()
			return 0.05 + 0.25 * cloud.random:NextNumber()
		end,
	}
end

-- One claim or renewal: read, yield like a store call, then write only if nobody wrote in between
-- (compare-and-set on the version) and the lease is free, expired or ours.
function Lease.tryClaim(store, holder: string, ttl: number): boolean
	local seen = store.version
	task.wait(store.latency())
	local now = store.clock()
	if store.version ~= seen then
		return false
	end
	if store.holder ~= nil and store.holder ~= holder and store.expiresAt > now then
		return false
	end
	store.holder, store.expiresAt, store.version = holder, now + ttl, seen + 1
	return true
end

function Lease.release(store, holder: string)
	if store.holder == holder then
		store.holder = nil
		store.version += 1
	end
end

-- Claims, then renews every `every` seconds in a thread of this server, counting renewals.
function Lease.keep(store, holder: string, ttl: number, every: number)
	task.spawn(function()
		while true do
			if Lease.tryClaim(store, holder, ttl) then
				renewals += 1
			end
			task.wait(every)
		end
	end)
end

function Lease.renewals(): number
	return renewals
end

return Lease
