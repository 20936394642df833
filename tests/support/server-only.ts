// Stands in for the `server-only` package under vitest: tests run server code in plain Node, where the guard
// (which only matters to the React client bundler) has nothing to protect.
export {};
