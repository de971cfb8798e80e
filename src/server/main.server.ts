print("ExecutionGuard demo server booting");
