-- SPEC-ONLY stand-in for the lease lock (src/shared/guard/lease/, branch `lease`) until that branch is
-- merged: the ExperienceLeases interface (tryAcquire, peek) over the server's own MemoryStore HashMap,
-- one UpdateAsync per acquire/release, renewal every ttl/3. Not product code; the specs switch to the
-- real lease (the guard's default) once it is merged.
local SpecLeases = {}

local MAP = "SpecLeases"

local function now()
	return DateTime.now().UnixTimestampMillis / 1000
end

function SpecLeases.new(g, ttl: number)
	local Guard = g.require(g.game.ReplicatedStorage.Shared.guard)
	local map = g.game:GetService("MemoryStoreService"):GetHashMap(MAP)
	local jobId = g.game.JobId
	local HttpService = g.game:GetService("HttpService")
	local leases = {}

	function leases:tryAcquire(key)
		local owner = jobId .. ":" .. HttpService:GenerateGUID(false)
		local busy
		local ok, value = pcall(function()
			return map:UpdateAsync(key, function(current)
				busy = nil
				if current ~= nil and not current.released and current.expiresAt > now() and current.owner ~= owner then
					busy = current
					return nil
				end
				return {
					owner = owner,
					jobId = jobId,
					token = (current and current.token or 0) + 1,
					acquiredAt = now(),
					expiresAt = now() + ttl,
				}
			end, ttl * 4)
		end)
		if not ok then
			return nil, Guard.GuardError.new("LockLost", "spec lease: " .. tostring(value), { key = key })
		end
		if value == nil then
			local held = busy or {}
			return nil,
				Guard.GuardError.new("AlreadyRunning", `"{key}" is already running on server {held.jobId}`, {
					key = key,
					holderJobId = held.jobId,
					since = held.acquiredAt,
					token = held.token,
				})
		end
		local handle = { token = value.token, released = false }
		function handle:IsValid()
			return not self.released
		end
		function handle:Release()
			if self.released then
				return false
			end
			self.released = true
			local released = false
			pcall(function()
				map:UpdateAsync(key, function(current)
					if current == nil or current.owner ~= owner then
						return nil
					end
					released = true
					current.released = true
					return current
				end, ttl * 4)
			end)
			return released
		end
		task.spawn(function()
			while true do
				task.wait(ttl / 3)
				if handle.released then
					return
				end
				pcall(function()
					map:UpdateAsync(key, function(current)
						if current == nil or current.owner ~= owner or current.released then
							return nil
						end
						current.expiresAt = now() + ttl
						return current
					end, ttl * 4)
				end)
			end
		end)
		return handle, nil
	end

	function leases:peek(key)
		local ok, current = pcall(function()
			return map:GetAsync(key)
		end)
		if not ok or current == nil or current.released or current.expiresAt <= now() then
			return nil
		end
		return { jobId = current.jobId, since = current.acquiredAt, token = current.token }
	end

	return leases
end

return SpecLeases
