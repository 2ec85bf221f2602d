"""Every write, one function each: check, write, audit and keep derived data fresh, inside the
caller's transaction. Called alike from GraphQL resolvers, pages, imports and the demo.

An action takes keyword-only plain arguments (the connection, the `Caller`, domain entries),
never a GraphQL or HTTP type; it returns records or raises `DomainError` / `DomainErrors`,
which roll the caller's transaction back. Audit entries are built by `actions.audit.entry`.
"""
