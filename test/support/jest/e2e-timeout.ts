// End-to-end tests boot apps, workers and browsers; a shared 2-core CI machine can be slow.
jest.setTimeout(60_000);
