/// <reference types="@rbxts/testez/globals" />
/* eslint-disable roblox-ts/no-user-defined-lua-tuple -- @rbxts/types types the UpdateAsync transform as returning a LuaTuple */
// DataStoreService from TypeScript, typed by @rbxts/types: the call forms roblox-ts emits (LuaTuple
// results, option instances from `new Instance`, Enum items) work on the emulated service.
import { DataStoreService } from "@rbxts/services";

export = () => {
	describe("DataStoreService from TypeScript", () => {
		it("GetAsync/SetAsync/UpdateAsync with LuaTuple results, options and metadata", () => {
			const store = DataStoreService.GetDataStore("typed");
			const options = new Instance("DataStoreSetOptions");
			options.SetMetadata({ owner: "server-A" });
			const version = store.SetAsync("profile", { coins: 1 }, [42], options);
			const getOptions = new Instance("DataStoreGetOptions");
			getOptions.UseCache = false;
			const [value, keyInfo] = store.GetAsync<{ coins: number }>("profile", getOptions);
			expect(value?.coins).to.equal(1);
			expect(keyInfo.Version).to.equal(version);
			expect(keyInfo.GetUserIds()[0]).to.equal(42);
			expect((keyInfo.GetMetadata() as { owner?: string }).owner).to.equal("server-A");
			const [updated] = store.UpdateAsync<{ coins: number }, { coins: number }>("profile", (current, info) => {
				return $tuple({ coins: (current?.coins ?? 0) + 1 }, info?.GetUserIds(), info?.GetMetadata());
			});
			expect(updated?.coins).to.equal(2);
		});

		it("budgets by Enum item", () => {
			const budget = DataStoreService.GetRequestBudgetForRequestType(Enum.DataStoreRequestType.StandardRead);
			expect(budget > 0).to.equal(true);
			expect(typeOf(Enum.DataStoreRequestType.StandardRead)).to.equal("EnumItem");
		});

		it("OrderedDataStore pages for a leaderboard", () => {
			const wins = DataStoreService.GetOrderedDataStore("typedWins");
			wins.SetAsync("a", 3);
			wins.SetAsync("b", 9);
			const page = wins.GetSortedAsync(false, 10).GetCurrentPage();
			expect(page[0].key).to.equal("b");
			expect(page[1].value).to.equal(3);
		});
	});
};
