// Each fault scenario injects a fault under load and waits for the system to catch up.
jest.setTimeout(300_000);
