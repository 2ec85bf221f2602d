"""The data layer: table metadata, set-based queries and DataLoaders. Resolvers never build SQL."""
