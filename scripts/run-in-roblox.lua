-- Runs every TestEZ spec inside Roblox Studio, the same specs `npm test` runs in the offline emulator.
--   rojo build test.project.json -o test.rbxl
--   run-in-roblox --place test.rbxl --script scripts/run-in-roblox.lua
-- run-in-roblox prints the output and exits non-zero when this script errors.
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local ServerScriptService = game:GetService("ServerScriptService")

local TestEZ = require(ReplicatedStorage:WaitForChild("rbxts_include"):WaitForChild("node_modules")
	:WaitForChild("@rbxts"):WaitForChild("testez"):WaitForChild("src"))

local results = TestEZ.TestBootstrap:run({ ServerScriptService:WaitForChild("Tests") }, TestEZ.Reporters.TextReporter)

if results.failureCount > 0 or #results.errors > 0 then
	error(string.format("%d spec(s) failed, %d error(s)", results.failureCount, #results.errors), 0)
end
