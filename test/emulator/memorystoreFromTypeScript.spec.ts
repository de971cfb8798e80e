/// <reference types="@rbxts/testez/globals" />
// MemoryStoreService and MessagingService as roblox-ts code calls them, through the real @rbxts/types
// signatures: multiple returns arrive as LuaTuples, enum arguments may be given by name.
import { MemoryStoreService, MessagingService } from "@rbxts/services";

let counter = 0;
const uniqueName = (prefix: string) => `${prefix}_ts_${++counter}`;

export = () => {
	beforeEach(() => {
		task.wait(61); // a full request-unit budget for each spec
	});

	it("a SortedMap's GetAsync returns (value, sortKey) and GetRangeAsync takes the direction by name", () => {
		const map = MemoryStoreService.GetSortedMap(uniqueName("sorted"));
		map.SetAsync("b", "second", 60, 2);
		map.SetAsync("a", "first", 60, 1);
		const [value, sortKey] = map.GetAsync("a");
		expect(value).to.equal("first");
		expect(sortKey).to.equal(1);
		const items = map.GetRangeAsync("Descending", 10);
		expect(items.map((item) => item.key).join(",")).to.equal("b,a");
	});

	it("a Queue's ReadAsync returns (items, id), and RemoveAsync(id) deletes them", () => {
		const queue = MemoryStoreService.GetQueue(uniqueName("queue"), 5);
		queue.AddAsync({ job: 1 }, 60, 1);
		const [items, id] = queue.ReadAsync(1, false, 0);
		expect((items[0] as { job: number }).job).to.equal(1);
		queue.RemoveAsync(id);
		task.wait(6);
		expect(queue.GetSizeAsync()).to.equal(0);
	});

	it("a HashMap's UpdateAsync takes a typed transform and returns its result", () => {
		const map = MemoryStoreService.GetHashMap(uniqueName("hash"));
		const result = map.UpdateAsync("coins", (current: number | undefined) => (current ?? 0) + 5, 60);
		expect(result).to.equal(5);
		expect(map.GetAsync("coins")).to.equal(5);
	});

	it("MessagingService delivers { Data, Sent } to a subscriber of this server", () => {
		const topic = uniqueName("topic");
		const received: string[] = [];
		const connection = MessagingService.SubscribeAsync(topic, (message) => {
			received.push(message.Data as string);
			expect(typeIs(message.Sent, "number")).to.equal(true);
		});
		MessagingService.PublishAsync(topic, "hello");
		task.wait(2.1);
		connection.Disconnect();
		expect(received.join(",")).to.equal("hello");
	});
};
