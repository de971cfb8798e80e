-- MessagingService against Roblox's documented behaviour: a message reaches every subscribed server
-- (the publisher's too) about 1-2 s later, never under a drop fault, never a server that stopped;
-- { Data, Sent } in a thread of its own; Disconnect; topic, size, publish and subscription limits.
local MessagingService = game:GetService("MessagingService")
local Helpers = require(script.Parent.memorystoreSpecHelpers)
local errorOf, contains, uniqueName = Helpers.errorOf, Helpers.contains, Helpers.uniqueName

return function()
	local hooks = MessagingService:GetEmulatorHooks()

	beforeEach(function()
		Helpers.freshBudget()
	end)

	afterEach(function()
		hooks.faults:clear()
	end)

	it("delivers to every subscribed server, the publisher's too, 1-2 s after publishing", function()
		local topic = uniqueName("topic")
		local serverB = hooks.addServer({ jobId = "server-B" })
		local received = {}
		local function listen(service, label)
			return service:SubscribeAsync(topic, function(message)
				table.insert(received, { label = label, data = message.Data, sent = message.Sent, at = os.clock() })
			end)
		end
		local connectionA = listen(MessagingService, "A")
		local connectionB = listen(serverB.service("MessagingService"), "B")
		local payload = { reason = "update", list = { 1, 2 } }
		local publishedAt = os.clock()
		local clockAtPublish = hooks.cloud:clock()
		MessagingService:PublishAsync(topic, payload)
		payload.reason = "changed after publishing"
		task.wait(0.99)
		expect(#received).to.equal(0)
		task.wait(1.1)
		expect(#received).to.equal(2)
		local labels = {}
		for _, message in received do
			labels[message.label] = true
			expect(message.data.reason).to.equal("update")
			expect(message.data.list[2]).to.equal(2)
			expect(math.abs(message.sent - clockAtPublish) < 0.1).to.equal(true)
			expect(message.at - publishedAt >= 1 and message.at - publishedAt <= 2.1).to.equal(true)
		end
		expect(labels.A and labels.B).to.equal(true)
		-- each server decoded its own copy
		expect(received[1].data ~= received[2].data).to.equal(true)
		connectionA:Disconnect()
		connectionB:Disconnect()
		serverB.stop()
	end)

	it("runs each callback in a thread of its own: a yielding callback holds up no other", function()
		local topic = uniqueName("threads")
		local order = {}
		local first = MessagingService:SubscribeAsync(topic, function()
			table.insert(order, "slow start")
			task.wait(5)
			table.insert(order, "slow end")
		end)
		local second = MessagingService:SubscribeAsync(topic, function()
			table.insert(order, "fast")
		end)
		MessagingService:PublishAsync(topic, "hi")
		task.wait(3)
		first:Disconnect()
		second:Disconnect()
		table.sort(order)
		expect(table.concat(order, ",")).to.equal("fast,slow start")
	end)

	it("never delivers under a drop fault, nor to a server that stopped, nor after Disconnect", function()
		local topic = uniqueName("drops")
		local serverB = hooks.addServer({ jobId = "server-B" })
		local received = 0
		local connection = MessagingService:SubscribeAsync(topic, function()
			received += 1
		end)
		serverB.service("MessagingService"):SubscribeAsync(topic, function()
			received += 100
		end)
		hooks.faults:configure({ service = "Messaging", dropRate = 1 })
		for _ = 1, 5 do
			MessagingService:PublishAsync(topic, "lost")
		end
		task.wait(10)
		expect(received).to.equal(0)
		hooks.faults:clear()
		serverB.stop()
		MessagingService:PublishAsync(topic, "only A hears this")
		task.wait(3)
		expect(received).to.equal(1)
		connection:Disconnect()
		expect(connection.Connected).to.equal(false)
		MessagingService:PublishAsync(topic, "nobody hears this")
		task.wait(3)
		expect(received).to.equal(1)
	end)

	it("a delay fault holds delivery back by that much", function()
		local topic = uniqueName("delay")
		local arrivedAfter
		local connection = MessagingService:SubscribeAsync(topic, function()
			arrivedAfter = os.clock()
		end)
		hooks.faults:configure({ service = "Messaging", delay = { min = 10, max = 10 } })
		local started = os.clock()
		MessagingService:PublishAsync(topic, "late")
		task.wait(10.5)
		expect(arrivedAfter).to.equal(nil)
		task.wait(2)
		expect(arrivedAfter - started >= 11).to.equal(true)
		connection:Disconnect()
	end)

	it("refuses a topic outside 1-80 characters, a message over 1 kB, bad callbacks and '.' calls", function()
		expect(contains(errorOf(function()
			MessagingService:PublishAsync(string.rep("t", 81), "x")
		end), "Topic must be 1 to 80 characters")).to.equal(true)
		expect(contains(errorOf(function()
			MessagingService:SubscribeAsync("", function() end)
		end), "Topic must be 1 to 80 characters")).to.equal(true)
		MessagingService:PublishAsync(string.rep("t", 80), string.rep("m", 1022)) -- 1,024 bytes as JSON
		expect(contains(errorOf(function()
			MessagingService:PublishAsync("topic", string.rep("m", 1023))
		end), "Message is too large")).to.equal(true)
		expect(contains(errorOf(function()
			MessagingService:PublishAsync("topic", function() end)
		end), "cannot be sent")).to.equal(true)
		expect(contains(errorOf(function()
			MessagingService:SubscribeAsync("topic", "not a function")
		end), "Unable to cast value to function")).to.equal(true)
		expect(contains(errorOf(function()
			MessagingService:PublishAsync({}, "x")
		end), "Unable to cast table to string")).to.equal(true)
		expect(contains(errorOf(function()
			MessagingService.PublishAsync("topic", "x")
		end), "Expected ':' not '.'")).to.equal(true)
	end)

	it("a server publishes at most 600 + 240 x players messages a minute", function()
		local sent, failed, done = 0, nil, 0
		for _ = 1, 610 do
			task.spawn(function()
				local ok, err = pcall(MessagingService.PublishAsync, MessagingService, "budget", "x")
				if ok then
					sent += 1
				else
					failed = tostring(err)
				end
				done += 1
			end)
		end
		while done < 610 do
			task.wait(0.1)
		end
		expect(sent >= 600 and sent <= 601).to.equal(true)
		expect(contains(failed, "throttled")).to.equal(true)
		task.wait(61)
		MessagingService:PublishAsync("budget", "refilled")
	end)

	it("past 40 + 80 x servers deliveries a minute on one topic, the rest are dropped", function()
		local limit = 40 + 80 * #hooks.cloud:servers()
		local topic = uniqueName("receive")
		local received, done = 0, 0
		local connection = MessagingService:SubscribeAsync(topic, function()
			received += 1
		end)
		for _ = 1, limit + 30 do
			task.spawn(function()
				MessagingService:PublishAsync(topic, "x")
				done += 1
			end)
		end
		while done < limit + 30 do
			task.wait(0.1)
		end
		task.wait(3)
		-- deliveries spread over 1-2 s, in which the bucket refills by up to 2 s of its rate
		expect(received >= limit and received <= limit + 5).to.equal(true)
		task.wait(60)
		local before = received
		MessagingService:PublishAsync(topic, "refilled")
		task.wait(2.1)
		expect(received).to.equal(before + 1)
		connection:Disconnect()
	end)

	it("past 400 + 200 x servers deliveries a minute in all, the rest are dropped", function()
		local serverB = hooks.addServer({ players = 10 }) -- publishes 3000 a minute
		local publisher = serverB.service("MessagingService")
		local servers = #hooks.cloud:servers()
		local limit, perTopic = 400 + 200 * servers, 40 + 80 * servers
		local topics = math.ceil((limit + 100) / (perTopic - 10))
		local received, done, total = 0, 0, 0
		local connections = {}
		for index = 1, topics do
			local topic = uniqueName("all")
			connections[index] = MessagingService:SubscribeAsync(topic, function()
				received += 1
			end)
			for _ = 1, perTopic - 10 do
				total += 1
				task.spawn(function()
					publisher:PublishAsync(topic, "x")
					done += 1
				end)
			end
		end
		while done < total do
			task.wait(0.1)
		end
		task.wait(3)
		for _, connection in connections do
			connection:Disconnect()
		end
		serverB.stop()
		expect(total > limit).to.equal(true)
		-- deliveries spread over 1-2 s, in which the bucket refills by up to 2 s of its rate
		expect(received >= limit and received <= limit + 30).to.equal(true)
	end)

	it("a server holds at most 20 + 8 x players subscriptions", function()
		-- stand-in servers: their subscriptions are theirs alone, whatever other specs left behind
		local serverC = hooks.addServer({ players = 0 })
		local messaging = serverC.service("MessagingService")
		local connections = {}
		for index = 1, 20 do
			connections[index] = messaging:SubscribeAsync(uniqueName("many"), function() end)
		end
		expect(contains(errorOf(function()
			messaging:SubscribeAsync("one too many", function() end)
		end), "20 subscriptions")).to.equal(true)
		-- another server's subscriptions are its own, and players raise the limit
		local serverB = hooks.addServer({ players = 1 })
		local messagingB = serverB.service("MessagingService")
		for index = 1, 28 do
			connections[20 + index] = messagingB:SubscribeAsync(uniqueName("B"), function() end)
		end
		expect(contains(errorOf(function()
			messagingB:SubscribeAsync("one too many", function() end)
		end), "28 subscriptions")).to.equal(true)
		connections[1]:Disconnect()
		table.insert(connections, messaging:SubscribeAsync("room again", function() end))
		for _, connection in connections do
			connection:Disconnect()
		end
		serverB.stop()
		serverC.stop()
	end)
end
