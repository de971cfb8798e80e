-- MemoryStoreSortedMap against Roblox's documented behaviour: items ordered by sort key (numbers,
-- then strings, then none) and then by key; GetRangeAsync's direction, count and exclusive bounds;
-- (value, sortKey) reads and transforms; expiry and limits with Roblox's error names.
-- The emulator has no Enum here, so directions are given by name (see emulator/README.md).
local MemoryStoreService = game:GetService("MemoryStoreService")
local Helpers = require(script.Parent.memorystoreSpecHelpers)
local errorOf, contains, uniqueName = Helpers.errorOf, Helpers.contains, Helpers.uniqueName

local function keysOf(items)
	local keys = {}
	for index, item in items do
		keys[index] = item.key
	end
	return table.concat(keys, ",")
end

return function()
	beforeEach(function()
		Helpers.freshBudget()
	end)

	local function filledMap()
		local map = MemoryStoreService:GetSortedMap(uniqueName("sorted"))
		map:SetAsync("none_b", "nb", 60)
		map:SetAsync("none_a", "na", 60)
		map:SetAsync("str_z", "sz", 60, "apple")
		map:SetAsync("str_y", "sy", 60, "banana")
		map:SetAsync("num_10", "n10", 60, 10)
		map:SetAsync("num_2", "n2", 60, 2)
		map:SetAsync("num_2b", "n2b", 60, 2)
		map:SetAsync("num_neg", "nn", 60, -5.5)
		return map
	end

	it("orders numeric sort keys, then string sort keys, then none; equal sort keys by key", function()
		local map = filledMap()
		expect(keysOf(map:GetRangeAsync("Ascending", 200))).to.equal(
			"num_neg,num_2,num_2b,num_10,str_z,str_y,none_a,none_b"
		)
		expect(keysOf(map:GetRangeAsync("Descending", 3))).to.equal("none_b,none_a,str_y")
		local first = map:GetRangeAsync({ Name = "Ascending" }, 1)[1]
		expect(first.key).to.equal("num_neg")
		expect(first.value).to.equal("nn")
		expect(first.sortKey).to.equal(-5.5)
	end)

	it("bounds are exclusive and in ascending order for either direction (pagination)", function()
		local map = filledMap()
		expect(keysOf(map:GetRangeAsync("Ascending", 200, { key = "num_2", sortKey = 2 }))).to.equal(
			"num_2b,num_10,str_z,str_y,none_a,none_b"
		)
		expect(keysOf(map:GetRangeAsync("Ascending", 200, { sortKey = 2 }, { sortKey = "banana" }))).to.equal(
			"num_10,str_z"
		)
		-- a bound with a key and no sort key sits among the items without one
		expect(keysOf(map:GetRangeAsync("Ascending", 200, { key = "none_a" }))).to.equal("none_b")
		expect(keysOf(map:GetRangeAsync("Descending", 2, nil, { key = "str_z", sortKey = "apple" }))).to.equal(
			"num_10,num_2b"
		)
		-- paging with the last item as the next lower bound visits every item once
		local visited, lower = {}, nil
		repeat
			local page = map:GetRangeAsync("Ascending", 3, lower)
			for _, item in page do
				table.insert(visited, item.key)
			end
			lower = if #page > 0 then { key = page[#page].key, sortKey = page[#page].sortKey } else nil
		until #page < 3
		expect(#visited).to.equal(8)
	end)

	it("GetAsync gives (value, sortKey); UpdateAsync's transform gets and returns both", function()
		local map = MemoryStoreService:GetSortedMap(uniqueName("update"))
		map:SetAsync("player", { wins = 1 }, 60, 1)
		local value, sortKey = map:GetAsync("player")
		expect(value.wins).to.equal(1)
		expect(sortKey).to.equal(1)
		local seenValue, seenSortKey
		map:UpdateAsync("player", function(current, currentSortKey)
			seenValue, seenSortKey = current, currentSortKey
			return { wins = current.wins + 1 }, currentSortKey + 1
		end, 60)
		expect(seenValue.wins).to.equal(1)
		expect(seenSortKey).to.equal(1)
		value, sortKey = map:GetAsync("player")
		expect(value.wins).to.equal(2)
		expect(sortKey).to.equal(2)
		expect(map:GetSizeAsync()).to.equal(1)
		map:RemoveAsync("player")
		expect(map:GetAsync("player")).to.equal(nil)
		expect(map:GetSizeAsync()).to.equal(0)
	end)

	it("UpdateAsync from many threads loses no update", function()
		local map = MemoryStoreService:GetSortedMap(uniqueName("race"))
		local calls, done = 0, 0
		for _ = 1, 8 do
			task.spawn(function()
				map:UpdateAsync("k", function(current, sortKey)
					calls += 1
					return (current or 0) + 1, (sortKey or 0) + 1
				end, 60)
				done += 1
			end)
		end
		while done < 8 do
			task.wait(0.1)
		end
		local value, sortKey = map:GetAsync("k")
		expect(value).to.equal(8)
		expect(sortKey).to.equal(8)
		expect(calls > 8).to.equal(true)
	end)

	it("an item is gone from reads and ranges after its expiration", function()
		local map = MemoryStoreService:GetSortedMap(uniqueName("expiry"))
		map:SetAsync("short", 1, 5, 1)
		map:SetAsync("long", 2, 60, 2)
		task.wait(6)
		expect(map:GetAsync("short")).to.equal(nil)
		expect(keysOf(map:GetRangeAsync("Ascending", 10))).to.equal("long")
	end)

	it("bad input gets Roblox's error names and changes nothing", function()
		local map = MemoryStoreService:GetSortedMap(uniqueName("bad"))
		map:SetAsync("k", "kept", 60, 1)
		expect(contains(errorOf(function()
			map:SetAsync("k", "changed", 60, string.rep("s", 129))
		end), "InvalidRequest")).to.equal(true)
		expect(contains(errorOf(function()
			map:SetAsync("k", "changed", 60, {})
		end), "Unable to cast table to string or number")).to.equal(true)
		expect(contains(errorOf(function()
			map:SetAsync("k", "changed", 3_888_001)
		end), "InvalidExpirationTime")).to.equal(true)
		expect(contains(errorOf(function()
			map:SetAsync("k", string.rep("x", 33_000), 60)
		end), "ItemValueSizeTooLarge")).to.equal(true)
		expect(contains(errorOf(function()
			map:GetRangeAsync("Sideways", 10)
		end), "Enum.SortDirection")).to.equal(true)
		for _, count in { 0, 201, 1.5 } do
			expect(contains(errorOf(function()
				map:GetRangeAsync("Ascending", count)
			end), "InvalidRequest")).to.equal(true)
		end
		expect(contains(errorOf(function()
			map:GetRangeAsync("Ascending", 10, {})
		end), "InvalidRequest")).to.equal(true)
		expect(contains(errorOf(function()
			map:UpdateAsync("k", function()
				return "changed", {}
			end, 60)
		end), "Unable to cast table")).to.equal(true)
		expect(contains(errorOf(function()
			map.GetRangeAsync("Ascending", 10)
		end), "Expected ':' not '.'")).to.equal(true)
		local value, sortKey = map:GetAsync("k")
		expect(value).to.equal("kept")
		expect(sortKey).to.equal(1)
	end)
end
