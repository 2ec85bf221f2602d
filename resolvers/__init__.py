"""Thin resolvers: parse input, authorise through policies/, load through store/, apply domain/."""
