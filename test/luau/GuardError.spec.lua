-- GuardError as a Luau user handles it: joined into a message with `..`, on either side.
local ReplicatedStorage = game:GetService("ReplicatedStorage")
local Guard = require(ReplicatedStorage:WaitForChild("Shared"):WaitForChild("guard"))
local KeyedLock = Guard.KeyedLock
local GuardError = Guard.GuardError

return function()
	describe("GuardError with .. (Luau)", function()
		it("joins on either side as its tostring form", function()
			local lock = KeyedLock.new()
			lock:TryAcquire("import")
			local _, err = lock:TryAcquire("import")
			expect(GuardError.is(err, "AlreadyRunning")).to.equal(true)
			expect("Load failed: " .. err).to.equal("Load failed: " .. tostring(err))
			expect(err .. " (retrying)").to.equal(tostring(err) .. " (retrying)")
			expect(string.sub("Load failed: " .. err, 1, 29)).to.equal("Load failed: AlreadyRunning: ")
			local other = GuardError.new("Timeout", "gave up")
			expect(err .. other).to.equal(tostring(err) .. "Timeout: gave up")
			expect(1 .. other).to.equal("1Timeout: gave up")
		end)
	end)
end
