-- Every EffectStore / StoreClock entry point refuses bad input with a typed InvalidArgument naming the
-- method and the argument, and changes nothing in the store; a '.' call is told to use ':'.
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local DataStoreService = game:GetService("DataStoreService")
local HttpService = game:GetService("HttpService")
local Guard = require(ReplicatedStorage:WaitForChild("Shared"):WaitForChild("guard"))
local EffectStore = Guard.EffectStore
local StoreClock = Guard.StoreClock
local GuardError = Guard.GuardError

local function add(data, payload)
	return { total = (if data then data.total else 0) + payload }
end

return function()
	local function expectInvalid(argument, call)
		local ok, err = pcall(call)
		expect(ok).to.equal(false)
		if not GuardError.is(err, "InvalidArgument") then
			error(`{argument}: expected an InvalidArgument GuardError, got {tostring(err)}`)
		end
		expect(err.details.argument).to.equal(argument)
		return err
	end

	describe("EffectStore and StoreClock bad input", function()
		it("Apply refuses a bad key, op id, change, payload, option or fence, and writes nothing", function()
			local dataStore = DataStoreService:GetDataStore("EffectsBadInput", HttpService:GenerateGUID(false))
			local effects = EffectStore.new({ dataStore = dataStore })
			expectInvalid("key", function()
				effects:Apply(string.rep("k", 51), "op", 1, add)
			end)
			expectInvalid("key", function()
				effects:Apply("", "op", 1, add)
			end)
			expectInvalid("opId", function()
				effects:Apply("k", "", 1, add)
			end)
			expectInvalid("opId", function()
				effects:Apply("k", string.rep("o", 101), 1, add)
			end)
			expectInvalid("change", function()
				effects:Apply("k", "op", 1, "not a function")
			end)
			local err = expectInvalid("payload", function()
				effects:Apply("k", "op", { f = function() end }, add)
			end)
			expect(string.find(err.message, "EffectStore.Apply", 1, true)).to.be.ok()
			expectInvalid("payload", function()
				effects:Apply("k", "op", 0 / 0, add)
			end)
			expectInvalid("options", function()
				effects:Apply("k", "op", 1, add, { fense = { name = "x", token = 1 } }) -- typo
			end)
			expectInvalid("options.fence.token", function()
				effects:Apply("k", "op", 1, add, { fence = { name = "job", token = 0 / 0 } })
			end)
			expectInvalid("options.fence.name", function()
				effects:Apply("k", "op", 1, add, { fence = { name = "", token = 1 } })
			end)
			expectInvalid("options.userIds[1]", function()
				effects:Apply("k", "op", 1, add, { userIds = { 1.5 } })
			end)
			expectInvalid("key", function()
				effects:Read(42)
			end)
			local noCache = Instance.new("DataStoreGetOptions")
			noCache.UseCache = false
			expect(dataStore:GetAsync("k", noCache)).to.equal(nil)
		end)

		it("the constructors refuse a missing or wrong DataStore and bad limits", function()
			expectInvalid("options", function()
				EffectStore.new(nil)
			end)
			expectInvalid("options.dataStore", function()
				EffectStore.new({ dataStore = workspace })
			end)
			expectInvalid("options.dataStore", function()
				EffectStore.new({ dataStore = {} })
			end)
			local dataStore = DataStoreService:GetDataStore("EffectsBadInput")
			expectInvalid("options.historySize", function()
				EffectStore.new({ dataStore = dataStore, historySize = 0 })
			end)
			expectInvalid("options.retries", function()
				EffectStore.new({ dataStore = dataStore, retries = 11 })
			end)
			expectInvalid("options", function()
				EffectStore.new({ dataStore = dataStore, histroySize = 5 })
			end)
			expectInvalid("options.dataStore", function()
				StoreClock.new({ dataStore = 5 })
			end)
			expectInvalid("options.key", function()
				StoreClock.new({ dataStore = dataStore, key = "" })
			end)
		end)

		it("a '.' call is told to use ':' and runs nothing", function()
			local dataStore = DataStoreService:GetDataStore("EffectsBadInput", HttpService:GenerateGUID(false))
			local effects = EffectStore.new({ dataStore = dataStore })
			local clock = StoreClock.new({ dataStore = dataStore })
			for name, call in
				{
					Apply = function()
						effects.Apply("k", "op", 1, add)
					end,
					Read = function()
						effects.Read("k")
					end,
					Today = function()
						clock.Today()
					end,
					Calibrate = function()
						clock.Calibrate()
					end,
				}
			do
				local err = expectInvalid("self", call)
				if not string.find(err.message, "call it with ':'", 1, true) then
					error(`{name}: "{err.message}" does not say to use ':'`)
				end
			end
			local noCache = Instance.new("DataStoreGetOptions")
			noCache.UseCache = false
			expect(dataStore:GetAsync("k", noCache)).to.equal(nil)
			expect(clock:Now()).to.equal(nil) -- never calibrated
		end)
	end)
end
