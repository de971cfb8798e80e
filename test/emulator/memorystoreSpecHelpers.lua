-- Helpers the MemoryStore and Messaging specs share (a ModuleScript, not a spec).
local Helpers = {}

local counter = 0

-- A structure name no other spec uses (the stores live as long as the run).
function Helpers.uniqueName(prefix: string): string
	counter += 1
	return string.format("%s_%d", prefix, counter)
end

-- Calls `fn` and returns the error text it raised; fails the spec when it did not raise.
function Helpers.errorOf(fn: () -> ...any): string
	local ok, err = pcall(fn)
	if ok then
		error("expected an error, the call succeeded", 2)
	end
	return tostring(err)
end

-- True when `text` contains `fragment` (plain search).
function Helpers.contains(text: string, fragment: string): boolean
	return string.find(text, fragment, 1, true) ~= nil
end

-- Waits until the experience's request units are full again (one virtual minute) and every item
-- earlier specs wrote with a short expiration is gone.
function Helpers.freshBudget()
	task.wait(61)
end

return Helpers
