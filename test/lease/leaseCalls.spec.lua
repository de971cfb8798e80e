-- The MemoryStore lease as a Luau caller on one server meets it: what each call costs in store calls,
-- bad input (typed InvalidArgument, no store call made, nothing held), '.' instead of ':', waiting with
-- a timeout, ReleaseAll, and a WithLock whose thread dies.
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Guard = require(ReplicatedStorage:WaitForChild("Shared"):WaitForChild("guard"))
local Helpers = require(script.Parent.leaseSpecHelpers)
local KeyedLock = Guard.KeyedLock
local GuardError = Guard.GuardError

local here = { game = game, require = require, os = os }
local counter = 0
local function newLock(options)
	counter += 1
	local settings = { mapName = "LeaseCalls" .. counter }
	for name, value in options or {} do
		settings[name] = value
	end
	return Helpers.newLock(here, settings)
end

return function()
	local function expectInvalid(fn, argument, text)
		local ok, err = pcall(fn)
		expect(ok).to.equal(false)
		expect(GuardError.is(err, "InvalidArgument")).to.equal(true)
		expect(err.details.argument).to.equal(argument)
		if text then
			expect(string.find(err.message, text, 1, true) ~= nil).to.equal(true)
		end
		return err
	end

	beforeEach(function()
		task.wait(61) -- a full request-unit budget for each spec
	end)

	describe("the MemoryStore lease on one server", function()
		it("an uncontended acquire is one UpdateAsync, a renewal one, a release one", function()
			local lock, stats = newLock({ leaseTtl = 15 })
			local handle = lock:TryAcquire("k")
			expect(stats.UpdateAsync).to.equal(1)
			expect(stats.transforms).to.equal(1)
			task.wait(5.5) -- one renewal at ttl / 3
			expect(stats.UpdateAsync).to.equal(2)
			expect(handle:Release()).to.equal(true)
			expect(stats.UpdateAsync).to.equal(3)
			expect(stats.GetAsync).to.equal(0)
			task.wait(10) -- no renewal after the release
			expect(stats.UpdateAsync).to.equal(3)
		end)

		it("bad input gets a typed InvalidArgument, makes no store call and holds nothing", function()
			expectInvalid(function()
				KeyedLock.new({ strategy = "MemoryStore", leaseTtl = 0 })
			end, "options.leaseTtl")
			expectInvalid(function()
				KeyedLock.new({ strategy = "MemoryStore", leaseTtl = 4000000 })
			end, "options.leaseTtl", "3888000")
			expectInvalid(function()
				KeyedLock.new({ strategy = "MemoryStore", leaseTtl = 30, tokenRetention = 10 })
			end, "options.tokenRetention")
			expectInvalid(function()
				KeyedLock.new({ strategy = "MemoryStor" })
			end, "options.strategy", '"MemoryStore"')
			expectInvalid(function()
				KeyedLock.new({ onLockLost = function() end })
			end, "options.onLockLost", 'only applies with strategy "MemoryStore"')
			expectInvalid(function()
				KeyedLock.new({ strategy = "MemoryStore", memoryStore = {} })
			end, "options.memoryStore")
			expectInvalid(function()
				Guard.Semaphore.new(2, { strategy = "MemoryStore" })
			end, "options.strategy")
			local lock, stats = newLock({ name = string.rep("n", 40) })
			expectInvalid(function()
				lock:TryAcquire(string.rep("k", 100))
			end, "key", "128")
			expectInvalid(function()
				lock:TryAcquire("")
			end, "key")
			expectInvalid(function()
				lock:TryAcquire("k", { leaseTtl = -1 })
			end, "options.leaseTtl")
			expectInvalid(function()
				lock:TryAcquire("k", { leaseTtl = 2 })
			end, "options.leaseTtl", "localMargin")
			expectInvalid(function()
				lock:Acquire("k", { timout = 1 })
			end, "options", "did you mean 'timeout'")
			expectInvalid(function()
				lock:WithLock("k", "not a function")
			end, "fn")
			expect(stats.UpdateAsync + stats.GetAsync).to.equal(0)
			expect(lock:IsLocked("k")).to.equal(false)
			expect(lock:GetHolder("k")).to.equal(nil)
		end)

		it("'.' instead of ':' is told to use ':' (lock, lease handle, MemoryStoreLeases)", function()
			local lock = newLock()
			local function expectColon(fn, colonForm)
				local err = expectInvalid(fn, "self", "call it with ':'")
				expect(string.find(err.message, colonForm, 1, true) ~= nil).to.equal(true)
			end
			expectColon(function()
				lock.TryAcquire("k")
			end, "lock:TryAcquire(key)")
			local handle = lock:TryAcquire("k")
			expectColon(function()
				handle.Release()
			end, "handle:Release()")
			expectColon(function()
				handle.IsValid()
			end, "handle:IsValid()")
			expect(handle:IsValid()).to.equal(true) -- unchanged
			local leases = Guard.MemoryStoreLeases.new({ mapName = "LeaseCallsDots" })
			expectColon(function()
				leases.Peek("k")
			end, "leases:Peek(key)")
			expect(handle:Release()).to.equal(true)
		end)

		it("Acquire with a timeout polls and gives up with Timeout naming the holder; a release lets it in", function()
			local holderLock = newLock()
			local lock = Guard.KeyedLock.new({
				strategy = "MemoryStore",
				name = "Spec",
				mapName = "LeaseCalls" .. counter,
			})
			local held = holderLock:TryAcquire("k")
			local _, err = lock:Acquire("k", { timeout = 3 })
			expect(err.kind).to.equal("Timeout")
			expect(err.details.holderJobId).to.equal(game.JobId ~= "" and game.JobId or "local")
			expect(err.details.token).to.equal(held.token)
			expect(err.details.waited >= 3).to.equal(true)
			task.delay(2, function()
				held:Release()
			end)
			local handle = lock:Acquire("k", { timeout = 30 })
			expect(handle).to.be.ok()
			expect(handle.token).to.equal(held.token + 1)
			handle:Release()
		end)

		it("ReleaseAll releases every lease and cancels a polling Acquire", function()
			local lock = newLock()
			local first = lock:TryAcquire("a")
			local second = lock:TryAcquire("b")
			local waited
			task.spawn(function()
				local _, err = lock:Acquire("a", { timeout = 60 })
				waited = err
			end)
			task.wait(1)
			expect(lock:ReleaseAll()).to.equal(2)
			expect(first:IsValid()).to.equal(false)
			expect(second:IsValid()).to.equal(false)
			task.wait(10)
			expect(waited.kind).to.equal("Cancelled")
			expect(lock:IsLocked("a")).to.equal(false)
		end)

		it("a WithLock whose thread is killed inside fn gives the lease back at the next renewal", function()
			local lock = newLock({ leaseTtl = 15 })
			local thread = task.spawn(function()
				lock:WithLock("k", function()
					task.wait(1000)
				end)
			end)
			task.wait(1)
			expect(lock:IsLocked("k")).to.equal(true)
			task.cancel(thread)
			task.wait(6) -- the renewal at ttl / 3 finds the thread dead and releases
			expect(lock:IsLocked("k")).to.equal(false)
			expect(lock:GetInfo("k").abandoned).to.equal(1)
		end)
		it("AcquireAsync cancelled while polling stops polling, holds nothing and leaves no waiter counted", function()
			local holderLock = newLock()
			local lock, stats = newLock({ mapName = "LeaseCalls" .. counter })
			local held = holderLock:TryAcquire("k")
			local pending = lock:AcquireAsync("k", { timeout = 30 })
			task.wait(2)
			expect(lock:GetInfo("k").waiters).to.equal(1)
			pending:cancel()
			local callsAtCancel = stats.GetAsync + stats.UpdateAsync
			held:Release()
			task.wait(12)
			expect(stats.GetAsync + stats.UpdateAsync).to.equal(callsAtCancel) -- no poll after the cancel
			expect(lock:IsLocked("k")).to.equal(false)
			expect(lock:GetInfo("k").waiters).to.equal(0)
			expect(lock:GetInfo("k").acquired).to.equal(0)
		end)
	end)
end
