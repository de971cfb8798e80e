-- MessagingService across real servers of a universe: a message in flight belongs to the cloud, not to
-- the publisher (Roblox delivers what PublishAsync accepted even if the publishing server dies next),
-- and a subscriber's callback runs as the subscriber's server (its crash stops it; a crashed
-- subscriber gets nothing).
local function subscribe(server, topic: string, received: { string })
	server:run(function(g)
		g.game:GetService("MessagingService"):SubscribeAsync(topic, function(message)
			table.insert(received, g.game.JobId .. ":" .. tostring(message.Data))
			g.task.wait(5)
			table.insert(received, g.game.JobId .. ":done")
		end)
	end)
end

return function()
	describe("MessagingService in a universe", function()
		it("a publisher that crashes right after PublishAsync: subscribers on other servers still get it", function()
			local universe = Universe.new({ seed = 21 })
			local a = universe:startServer({ name = "A", jobId = "A" })
			local b = universe:startServer({ name = "B", jobId = "B" })
			local c = universe:startServer({ name = "C", jobId = "C" })
			local received = {}
			subscribe(b, "news", received)
			subscribe(c, "news", received)
			a:run(function(g)
				g.game:GetService("MessagingService"):PublishAsync("news", "hello")
			end)
			a:crash()
			c:crash() -- before the 1-2 s delivery: it hears nothing
			universe:advance(3)
			expect(table.concat(received, ",")).to.equal("B:hello")
			universe:close()
		end)

		it("the callback runs as the subscriber's server: its crash stops the callback", function()
			local universe = Universe.new({ seed = 22 })
			local a = universe:startServer({ name = "A", jobId = "A" })
			local b = universe:startServer({ name = "B", jobId = "B" })
			local received = {}
			subscribe(a, "news", received)
			subscribe(b, "news", received)
			b:run(function(g)
				g.game:GetService("MessagingService"):PublishAsync("news", "x")
			end)
			universe:advance(3)
			table.sort(received)
			expect(table.concat(received, ",")).to.equal("A:x,B:x")
			a:crash() -- A's callback is waiting inside A: it never finishes; B's (the publisher's own) does
			universe:advance(5)
			table.sort(received)
			expect(table.concat(received, ",")).to.equal("A:x,B:done,B:x")
			universe:close()
		end)
	end)
end
