-- Helpers the datastore*.spec.lua files share: a second "server" over the same stores, error checks.
local DataStoreService = game:GetService("DataStoreService")

local Helpers = {}

-- A Cloud.ServerContext for a pretend second server with `players` players.
function Helpers.serverContext(jobId: string, players: number?)
	local running = true
	return {
		jobId = jobId,
		playerCount = function()
			return players or 0
		end,
		isRunning = function()
			return running
		end,
		isClosing = function()
			return false
		end,
		osTimeSkew = 0,
		stop = function()
			running = false
		end,
	}
end

-- Another server's DataStoreService over the same backend (its own budgets, queues and caches).
function Helpers.otherServer(jobId: string, players: number?)
	local context = Helpers.serverContext(jobId, players)
	return DataStoreService:EmulatorFacadeForServer(context), context
end

function Helpers.cloud()
	return DataStoreService:EmulatorCloud()
end

-- The stored value, read without budget, cache or latency.
function Helpers.peek(name: string, key: string, scope: string?, ordered: boolean?)
	return Helpers.cloud():backend("DataStore", nil :: any):peek(name, scope, key, ordered)
end

function Helpers.noCache()
	local options = Instance.new("DataStoreGetOptions")
	options.UseCache = false
	return options
end

-- Runs f(...) expecting an error whose text contains `fragment`; returns the text.
function Helpers.expectError(fragment: string, f, ...)
	local ok, err = pcall(f, ...)
	if ok then
		error("expected an error containing '" .. fragment .. "', but the call succeeded", 2)
	end
	local text = tostring(err)
	if string.find(text, fragment, 1, true) == nil then
		error("expected an error containing '" .. fragment .. "', got: " .. text, 2)
	end
	return text
end

-- Waits until every thread in `threads` is dead (the spec's workers finished).
function Helpers.join(threads: { thread })
	while true do
		local running = false
		for _, thread in threads do
			if coroutine.status(thread) ~= "dead" then
				running = true
			end
		end
		if not running then
			return
		end
		task.wait(0.1)
	end
end

return Helpers
