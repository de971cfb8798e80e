-- DataStore versions as Roblox keeps them: per UTC hour the first write stays as a backup and later
-- writes that hour overwrite each other; GetVersionAsync reads a kept version, ListVersionsAsync lists
-- them (oldest first, or Descending) within a date range; a removal is a deleted version.
local DataStoreService = game:GetService("DataStoreService")
local Helpers = require(script.Parent.datastoreHelpers)

return function()
	describe("DataStore versions", function()
		it("keep each hour's first and latest write, readable with GetVersionAsync", function()
			local store = DataStoreService:GetDataStore("versions")
			task.wait(3600 - os.time() % 3600 + 1) -- the start of a UTC hour (the stores' clock is unskewed)
			local v1 = store:SetAsync("key", 1)
			task.wait(10)
			local v2 = store:SetAsync("key", 2)
			task.wait(10)
			local v3 = store:SetAsync("key", 3)
			task.wait(3600)
			local v4 = store:SetAsync("key", 4)

			local listed = {}
			for _, info in store:ListVersionsAsync("key"):GetCurrentPage() do
				table.insert(listed, info.Version)
				expect(info.IsDeleted).to.equal(false)
			end
			expect(table.concat(listed, " ")).to.equal(table.concat({ v1, v3, v4 }, " "))

			local value, keyInfo = store:GetVersionAsync("key", v1)
			expect(value).to.equal(1)
			expect(keyInfo.Version).to.equal(v1)
			expect((store:GetVersionAsync("key", v2))).to.equal(nil) -- overwritten within its hour

			local newest = store:ListVersionsAsync("key", Enum.SortDirection.Descending, nil, nil, 1)
			expect(newest:GetCurrentPage()[1].Version).to.equal(v4)
			expect(newest.IsFinished).to.equal(false)
			newest:AdvanceToNextPageAsync()
			expect(newest:GetCurrentPage()[1].Version).to.equal(v3)

			local _, info4 = store:GetAsync("key", Helpers.noCache())
			local recent = store:ListVersionsAsync("key", nil, info4.UpdatedTime - 1000):GetCurrentPage()
			expect(#recent).to.equal(1)
			expect(recent[1].Version).to.equal(v4)

			store:RemoveAsync("key")
			local all = store:ListVersionsAsync("key"):GetCurrentPage()
			expect(all[#all].IsDeleted).to.equal(true)
			expect((store:GetVersionAsync("key", v4))).to.equal(4)
		end)
	end)
end
