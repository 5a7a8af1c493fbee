// `testTimeout` is a global Jest option, not a per-project one: integration tests set theirs here.
// Generous because they wait on a real node (schema agreement, LWTs, thousands of writes).
jest.setTimeout(120_000);
