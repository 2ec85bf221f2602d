"""The GraphQL API: root Query/Mutation/Subscription, the Schema and its execution extensions
(error policy, request connection, kept answers, limits), the prepared completion engine and
the schema export. Of the application, only server.py imports it."""
