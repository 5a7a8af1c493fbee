// Cluster tests wait on three JVMs sharing two cores with other test nodes (DDL agreement at RF=3,
// node restarts, a cross-file lock): generous, so that a slow moment does not fail a test.
jest.setTimeout(600_000);
