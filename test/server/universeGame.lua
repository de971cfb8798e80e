-- The game's PlayerDataService booted inside one server of a universe, on that server's own copy of
-- the real ProfileStore (emulated DataStores and MessagingService): PlayerAdded loads, PlayerRemoving
-- releases, BindToClose saves all — the wiring main.server.ts does, without the demo. Every service
-- log line is kept with the stores' clock, so a spec can check what happened in which order.
local UniverseGame = {}

-- Boots it in `server`; returns { playerData, guard, lines, kicks, find(pattern) }.
function UniverseGame.boot(universe, server, options)
	options = options or {}
	return server:run(function(g)
		local TS = g.game.ServerScriptService.TS
		local PlayerDataService = g.require(TS.services.PlayerDataService).PlayerDataService
		local Profiles = g.require(TS.data.PlayerProfileStore)
		local Guard = g.require(g.game.ReplicatedStorage.Shared.guard)
		local game = { lines = {}, guard = Guard.ExecutionGuard.new(false) }
		local function log(line)
			table.insert(game.lines, { at = universe.cloud:clock(), line = line })
		end
		game.playerData = PlayerDataService.new({
			profiles = Profiles.newPlayerProfileStore({ name = options.storeName }),
			guard = game.guard,
			loadTimeoutSeconds = options.loadTimeoutSeconds,
			log = log,
		})
		game.playerData:Init()
		local Players = g.game:GetService("Players")
		Players.PlayerAdded:Connect(function(player)
			game.playerData:LoadData(player)
		end)
		Players.PlayerRemoving:Connect(function(player)
			game.playerData:ReleasePlayer(player)
		end)
		g.game:BindToClose(function()
			game.playerData:SaveAll()
		end)
		-- The first line matching `pattern` (plain text) and when it was logged, or nil.
		function game.find(pattern: string)
			for _, entry in game.lines do
				if string.find(entry.line, pattern, 1, true) then
					return entry
				end
			end
			return nil
		end
		-- How many lines match `pattern`.
		function game.count(pattern: string): number
			local count = 0
			for _, entry in game.lines do
				if string.find(entry.line, pattern, 1, true) then
					count += 1
				end
			end
			return count
		end
		return game
	end)
end

-- The server's current Player object for `userId`, or nil.
function UniverseGame.playerIn(server, userId: number)
	return server.game:GetService("Players"):GetPlayerByUserId(userId)
end

-- The player's data on `server` right now (GetData in that server), or nil.
function UniverseGame.dataOn(server, game, userId: number)
	local player = UniverseGame.playerIn(server, userId)
	if player == nil then
		return nil
	end
	return server:run(function()
		return game.playerData:GetData(player)
	end)
end

return UniverseGame
