-- Helpers for the lease specs, required INSIDE a universe server (`g.require(...)`), so each server
-- gets its own copy: the guard of that server, and MemoryStoreService wrappers a spec can inject
-- through the lock's `memoryStore` option — one that counts calls (units), one that a spec can cut
-- off (a partition of that one server: its calls fail with a transient error while others' pass).
local Helpers = {}

function Helpers.guard(g)
	return g.require(g.game.ReplicatedStorage.Shared.guard)
end

-- Wraps `service` (a MemoryStoreService): `stats` counts calls per method and transform runs.
-- `control.cut = true` makes every call fail with a transient error (this wrapper's server only).
function Helpers.wrap(service)
	local stats = { GetAsync = 0, UpdateAsync = 0, transforms = 0, units = 0 }
	local control = { cut = false }
	local wrapper = {}
	function wrapper:GetHashMap(name)
		local map = service:GetHashMap(name)
		local proxy = {}
		function proxy:GetAsync(key)
			if control.cut then
				error("InternalError: the spec cut this server off from MemoryStore", 0)
			end
			stats.GetAsync += 1
			stats.units += 1
			return map:GetAsync(key)
		end
		function proxy:UpdateAsync(key, transform, expiration)
			if control.cut then
				error("InternalError: the spec cut this server off from MemoryStore", 0)
			end
			stats.UpdateAsync += 1
			return map:UpdateAsync(key, function(current)
				stats.transforms += 1
				stats.units += 2
				return transform(current)
			end, expiration)
		end
		return proxy
	end
	return wrapper, stats, control
end

-- A MemoryStore KeyedLock in server `g`, over a wrapped service: returns lock, stats, control, events.
function Helpers.newLock(g, options)
	local Guard = Helpers.guard(g)
	local service, stats, control = Helpers.wrap(g.game:GetService("MemoryStoreService"))
	local events = {}
	local settings = {
		strategy = "MemoryStore",
		name = "Spec",
		leaseTtl = 15,
		memoryStore = service,
		onLockLost = function(key, handle, reason)
			table.insert(events, {
				kind = "lost",
				key = key,
				token = handle.token,
				reason = reason,
				at = g.os.clock(),
				localExpiresAt = handle.expiresAt,
				recordExpiresAt = handle.record.expiresAt,
				valid = handle:IsValid(),
			})
		end,
		onAcquired = function(key, handle)
			table.insert(events, { kind = "acquired", key = key, token = handle.token, at = g.os.clock() })
		end,
	}
	for name, value in options or {} do
		settings[name] = value
	end
	return Guard.KeyedLock.new(settings), stats, control, events
end

return Helpers
