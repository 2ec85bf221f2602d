"""The pages people use (Bahasa Indonesia), rendered on the server from the GraphQL schema."""
