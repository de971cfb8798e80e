-- DataStoreService basics (Roblox's documented behaviour): values are JSON copies, keyInfo carries
-- Version/CreatedTime/UpdatedTime on the stores' clock, user IDs and metadata; the 4 s GetAsync cache
-- is per server; ordered stores sort; ListKeysAsync pages; Enum items behave like Roblox's.
local DataStoreService = game:GetService("DataStoreService")
local Helpers = require(script.Parent.datastoreHelpers)

return function()
	describe("DataStore values and keyInfo", function()
		it("SetAsync stores a deep copy; GetAsync returns it with its keyInfo", function()
			local store = DataStoreService:GetDataStore("basics")
			local value = { coins = 5, items = { "sword", "shield" } }
			local version = store:SetAsync("player_1", value, { 1 })
			value.coins = 99
			table.insert(value.items, "bow")
			local read, keyInfo = store:GetAsync("player_1", Helpers.noCache())
			expect(read.coins).to.equal(5)
			expect(#read.items).to.equal(2)
			read.coins = 1000 -- mutating what was read changes nothing either, nested tables included
			table.insert(read.items, "axe")
			local again = store:GetAsync("player_1", Helpers.noCache())
			expect(again.coins).to.equal(5)
			expect(#again.items).to.equal(2)
			expect(again).never.to.equal(read)
			expect(Helpers.peek("basics", "player_1").coins).to.equal(5)
			expect(keyInfo.Version).to.equal(version)
			expect(keyInfo:GetUserIds()[1]).to.equal(1)
		end)

		it("keyInfo: a new Version per write, CreatedTime kept, UpdatedTime in ms on the stores' clock", function()
			local store = DataStoreService:GetDataStore("basics")
			local options = Instance.new("DataStoreSetOptions")
			options:SetMetadata({ lock = "job-A" })
			local first = store:SetAsync("timed", 1, nil, options)
			local _, info1 = store:GetAsync("timed")
			expect(math.abs(info1.UpdatedTime - os.time() * 1000) < 2000).to.equal(true)
			expect(info1:GetMetadata().lock).to.equal("job-A")
			task.wait(10)
			local second = store:SetAsync("timed", 2)
			expect(second).never.to.equal(first)
			local _, info2 = store:GetAsync("timed")
			expect(info2.Version).to.equal(second)
			expect(info2.CreatedTime).to.equal(info1.CreatedTime)
			expect(info2.UpdatedTime - info1.UpdatedTime >= 10000).to.equal(true)
			expect(next(info2:GetMetadata())).to.equal(nil) -- a write without metadata clears it
			expect(Helpers.expectError("read only", function()
				(info2 :: any).Version = "x"
			end)).to.be.ok()
		end)

		it("IncrementAsync returns the new value; RemoveAsync returns the old one and leaves nothing", function()
			local store = DataStoreService:GetDataStore("basics")
			expect((store:IncrementAsync("counter"))).to.equal(1)
			local value, info = store:IncrementAsync("counter", 4)
			expect(value).to.equal(5)
			expect(info.Version).to.be.ok()
			local old, removedInfo = store:RemoveAsync("counter")
			expect(old).to.equal(5)
			expect(removedInfo.Version).to.equal(info.Version)
			local after, afterInfo = store:GetAsync("counter")
			expect(after).to.equal(nil)
			expect(afterInfo).to.equal(nil)
			expect((store:RemoveAsync("counter"))).to.equal(nil)
		end)

		it("keyInfo objects nobody holds are collected (a long run must not fill the heap)", function()
			local store = DataStoreService:GetDataStore("basics")
			store:SetAsync("collected", 1)
			local held = setmetatable({}, { __mode = "v" })
			local function read(index)
				local _, keyInfo = store:GetAsync("collected")
				held[index] = keyInfo
			end
			for index = 1, 10 do
				read(index)
			end
			expect(held[1].Version).to.be.ok()
			-- scripts cannot force a collection (no collectgarbage, as in Roblox): make garbage until one
			-- ran; the check lives in a function so no register of this frame keeps a keyInfo alive
			local function collected()
				return next(held) == nil
			end
			local sink
			for round = 1, 200 do
				for item = 1, 10_000 do
					sink = { round, item }
				end
				if collected() then
					break
				end
			end
			expect(sink).to.be.ok()
			expect(collected()).to.equal(true)
		end)

		it("GetDataStore returns one object per name and scope; scopes are apart", function()
			local a = DataStoreService:GetDataStore("scoped", "one")
			expect(DataStoreService:GetDataStore("scoped", "one")).to.equal(a)
			local b = DataStoreService:GetDataStore("scoped", "two")
			a:SetAsync("k", "in one")
			expect((b:GetAsync("k"))).to.equal(nil)
			expect((a:GetAsync("k"))).to.equal("in one")
			local globalStore = DataStoreService:GetGlobalDataStore()
			expect(DataStoreService:GetGlobalDataStore()).to.equal(globalStore)
			globalStore:SetAsync("k", "global")
			expect((DataStoreService:GetDataStore("global"):GetAsync("k"))).to.equal(nil)
		end)
	end)

	describe("the GetAsync cache", function()
		it("is per server: another server's write stays unseen for 4 s unless UseCache = false", function()
			local serverB = Helpers.otherServer("server-B")
			local storeA = DataStoreService:GetDataStore("cached")
			local storeB = serverB:GetDataStore("cached")
			storeA:SetAsync("key", "old")
			expect((storeA:GetAsync("key"))).to.equal("old")
			storeB:SetAsync("key", "new")
			expect((storeA:GetAsync("key"))).to.equal("old") -- stale: A's cached read
			expect((storeB:GetAsync("key"))).to.equal("new") -- B wrote it itself
			expect((storeA:GetAsync("key", Helpers.noCache()))).to.equal("new")
			storeB:SetAsync("key", "newer")
			task.wait(3)
			expect((storeA:GetAsync("key"))).to.equal("new")
			task.wait(1.1)
			expect((storeA:GetAsync("key"))).to.equal("newer")
		end)

		it("a cached read spends no budget and does not yield", function()
			local store = DataStoreService:GetDataStore("cached")
			store:GetAsync("fresh")
			local before = DataStoreService:GetRequestBudgetForRequestType(Enum.DataStoreRequestType.StandardRead)
			local started = os.clock()
			store:GetAsync("fresh")
			expect(os.clock()).to.equal(started)
			expect(DataStoreService:GetRequestBudgetForRequestType(Enum.DataStoreRequestType.StandardRead)).to.equal(before)
		end)
	end)

	describe("ListKeysAsync", function()
		it("lists keys with a prefix, in pages", function()
			local store = DataStoreService:GetDataStore("listing")
			for index = 1, 5 do
				store:SetAsync("user_" .. index, index)
			end
			store:SetAsync("other", 0)
			local pages = store:ListKeysAsync("user_", 2)
			local names = {}
			while true do
				for _, key in pages:GetCurrentPage() do
					table.insert(names, key.KeyName)
				end
				if pages.IsFinished then
					break
				end
				pages:AdvanceToNextPageAsync()
			end
			expect(table.concat(names, ",")).to.equal("user_1,user_2,user_3,user_4,user_5")
			expect(Helpers.expectError("No pages to advance to", function()
				pages:AdvanceToNextPageAsync()
			end)).to.be.ok()
		end)
	end)

	describe("OrderedDataStore", function()
		it("GetSortedAsync pages by value, within min and max", function()
			local wins = DataStoreService:GetOrderedDataStore("wins")
			for index, score in { 5, 40, 12, 40, 1 } do
				wins:SetAsync("p" .. index, score)
			end
			expect(wins:IncrementAsync("p5", 2)).to.equal(3)
			local pages = wins:GetSortedAsync(false, 2)
			local first = pages:GetCurrentPage()
			expect(first[1].value).to.equal(40)
			expect(first[2].value).to.equal(40)
			expect(pages.IsFinished).to.equal(false)
			pages:AdvanceToNextPageAsync()
			expect(pages:GetCurrentPage()[1].key).to.equal("p3")
			local low = wins:GetSortedAsync(true, 10, 2, 12):GetCurrentPage()
			expect(#low).to.equal(3)
			expect(low[1].value).to.equal(3)
			expect(low[3].value).to.equal(12)
			expect(wins:GetAsync("p2")).to.equal(40)
			expect(wins:UpdateAsync("p2", function(old)
				return old + 1
			end)).to.equal(41)
			expect(wins:RemoveAsync("p2")).to.equal(41)
		end)
	end)

	describe("Enum", function()
		it("has DataStoreRequestType and CloseReason items like Roblox's", function()
			local item = Enum.DataStoreRequestType.StandardWrite
			expect(typeof(item)).to.equal("EnumItem")
			expect(item.Name).to.equal("StandardWrite")
			expect(item.Value).to.equal(10)
			expect(item.EnumType).to.equal(Enum.DataStoreRequestType)
			expect(item == Enum.DataStoreRequestType.StandardWrite).to.equal(true)
			expect(item == Enum.DataStoreRequestType.StandardRead).to.equal(false)
			expect(tostring(item)).to.equal("Enum.DataStoreRequestType.StandardWrite")
			expect(typeof(Enum.CloseReason)).to.equal("Enum")
			expect(#Enum.CloseReason:GetEnumItems()).to.equal(7)
			expect(Enum.CloseReason.DeveloperShutdown.Value).to.equal(2)
			Helpers.expectError("is not a valid member", function()
				return (Enum.DataStoreRequestType :: any).Nope
			end)
		end)

		it("GetRequestBudgetForRequestType takes an item, its name or its value", function()
			local byItem = DataStoreService:GetRequestBudgetForRequestType(Enum.DataStoreRequestType.StandardList)
			expect(byItem > 0).to.equal(true)
			expect(DataStoreService:GetRequestBudgetForRequestType("StandardList")).to.equal(byItem)
			expect(DataStoreService:GetRequestBudgetForRequestType(11)).to.equal(byItem)
			Helpers.expectError("Unable to cast value to Enum", function()
				DataStoreService:GetRequestBudgetForRequestType(Enum.CloseReason.Unknown)
			end)
		end)
	end)
end
