// Integration tests talk to real servers; a shared 2-core CI machine can be slow.
jest.setTimeout(30_000);
