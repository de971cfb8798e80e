/// <reference types="@rbxts/testez/globals" />
// The emulator's Instance tree: enough of Roblox's behaviour for the product and its tests.
import { HttpService, Players, ReplicatedStorage, Workspace } from "@rbxts/services";

export = () => {
	describe("Instances", () => {
		it("have Name, Parent, ClassName, full names and typeof Instance", () => {
			const folder = new Instance("Folder");
			folder.Name = "Arena";
			folder.Parent = Workspace;
			expect(folder.GetFullName()).to.equal("Workspace.Arena");
			expect(typeOf(folder)).to.equal("Instance");
			expect(folder.ClassName).to.equal("Folder");
			expect(Workspace.FindFirstChild("Arena")).to.equal(folder);
			folder.Destroy();
			expect(Workspace.FindFirstChild("Arena")).to.equal(undefined);
		});

		it("IsA follows the class hierarchy", () => {
			const value = new Instance("IntValue");
			expect(value.IsA("ValueBase")).to.equal(true);
			expect(value.IsA("Instance")).to.equal(true);
			expect(value.IsA("Folder")).to.equal(false);
		});

		it("refuses a parent that would make a cycle", () => {
			const outer = new Instance("Folder");
			const inner = new Instance("Folder", outer);
			expect(() => (outer.Parent = inner)).to.throw();
			expect(outer.Parent).to.equal(undefined);
		});

		it("IntValue coerces, and Changed passes the new value", () => {
			const coins = new Instance("IntValue");
			let seen = -1;
			coins.Changed.Connect((value) => (seen = value));
			coins.Value = 7.9;
			expect(coins.Value).to.equal(7);
			expect(seen).to.equal(7);
		});

		it("keeps attributes and tags", () => {
			const folder = new Instance("Folder");
			let changed = "";
			folder.AttributeChanged.Connect((name) => (changed = name));
			folder.SetAttribute("Level", 3);
			expect(folder.GetAttribute("Level")).to.equal(3);
			expect(changed).to.equal("Level");
			folder.AddTag("Spawn");
			expect(folder.HasTag("Spawn")).to.equal(true);
			expect(() => folder.SetAttribute("bad name!", 1)).to.throw();
		});

		it("an unknown member is an error naming the member and the instance", () => {
			const folder = new Instance("Folder");
			folder.Name = "Box";
			const [ok, message] = pcall(() => (folder as unknown as { Nope: number }).Nope);
			expect(ok).to.equal(false);
			expect(tostring(message).find("Nope is not a valid member of Folder")[0] !== undefined).to.equal(true);
		});
	});

	describe("WaitForChild", () => {
		it("returns a child that appears later", () => {
			const folder = new Instance("Folder");
			task.delay(1, () => {
				const child = new Instance("Folder");
				child.Name = "Late";
				child.Parent = folder;
			});
			const started = os.clock();
			const child = folder.WaitForChild("Late");
			expect(child.Name).to.equal("Late");
			expect(os.clock() - started >= 1).to.equal(true);
		});

		it("returns nil after its timeout", () => {
			const folder = new Instance("Folder");
			const started = os.clock();
			const child = folder.WaitForChild("Never", 2);
			expect(child).to.equal(undefined);
			const waited = os.clock() - started;
			expect(waited >= 2 && waited < 2.1).to.equal(true);
		});
	});

	describe("services", () => {
		it("game:GetService returns the same service each time", () => {
			expect(game.GetService("ReplicatedStorage")).to.equal(ReplicatedStorage);
			expect(game.GetService("Players")).to.equal(Players);
		});

		it("a Roblox service the emulator lacks is named as such, not as an invalid name", () => {
			for (const name of ["TweenService", "TeleportService"] as const) {
				const [ok, message] = pcall(() => game.GetService(name));
				expect(ok).to.equal(false);
				const text = tostring(message);
				expect(
					text.find(`${name} is a Roblox service the emulator does not provide (yet)`, 1, true)[0],
				).to.be.ok();
				expect(text.find("not a valid Service name", 1, true)[0]).to.equal(undefined);
				expect(game.FindService(name)).to.equal(undefined);
			}
		});

		it("a name that is no Roblox service keeps Roblox's message, even if it names a class", () => {
			const anyGame = game as unknown as { GetService(name: string): Instance };
			for (const name of ["NotAService", "Folder", "Part"]) {
				const [ok, message] = pcall(() => anyGame.GetService(name));
				expect(ok).to.equal(false);
				expect(tostring(message).find(`'${name}' is not a valid Service name`, 1, true)[0]).to.be.ok();
			}
			expect(game.FindFirstChildOfClass("Folder")).to.equal(undefined);
		});

		it("every service the emulator provides is created once, on first use", () => {
			for (const name of ["Lighting", "ServerStorage", "CollectionService", "TestService", "Teams"] as const) {
				const service = game.GetService(name);
				expect(service.ClassName).to.equal(name);
				expect(service.Parent).to.equal(game);
				expect(game.GetService(name)).to.equal(service);
			}
		});

		it("HttpService round-trips JSON and makes GUIDs", () => {
			const text = HttpService.JSONEncode({ coins: 5, items: ["a", "b"] });
			const back = HttpService.JSONDecode(text) as { coins: number; items: string[] };
			expect(back.coins).to.equal(5);
			expect(back.items[1]).to.equal("b");
			const guid = HttpService.GenerateGUID(false);
			expect(guid.match("^%x+%-%x+%-4%x+%-%x+%-%x+$")[0] !== undefined).to.equal(true);
			expect(HttpService.GenerateGUID(false)).never.to.equal(guid);
		});
	});
};
