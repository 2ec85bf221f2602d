"""Identity types: the viewer (`me`), grants, API tokens, and their mutations' inputs and payloads."""

from datetime import datetime

import strawberry

from policies.individual import TokenGrant
from policies.permissions import Role
from schema.inputs import UserError
from schema.types import Info, Scope, load_scope_of_path
from store.identity import ApiTokenRecord

strawberry.enum(Role, description="Role granted on a scope (peran): ADMIN, OPERATOR, REVIEWER, …")
strawberry.enum(
    TokenGrant,
    name="IndividualData",
    description="Individual data (data kepegawaian) an API token may be granted to read in its scope: PERSONNEL "
    "the employee master (NIP, name, position), ACTIVITY the activity logs, weeks, monthly scores and SKP, TPP "
    "the TPP statements. The owner must hold that read over the whole scope.",
)


@strawberry.type(description="A role held on a scope and everything below it (hak akses).")
class Grant:
    role: Role
    scope_path: strawberry.Private[str]

    @strawberry.field(description="The Government or OrgUnit the grant covers, with its subtree.")
    async def scope(self, info: Info) -> Scope | None:
        return await load_scope_of_path(info, self.scope_path)


@strawberry.type(description="The signed-in user (pengguna).")
class Me:
    username: str
    display_name: str
    nip: str | None = strawberry.field(description="Civil servant number (NIP), if recorded.")
    grants: list[Grant]


@strawberry.type(description="An API token for a third-party reporting tool: read-only, in its scope.")
class ApiToken:
    id: strawberry.ID
    name: str
    expires_at: datetime
    created_at: datetime
    revoked_at: datetime | None
    registered_only: bool = strawberry.field(
        description="The token runs registered operations (persisted by SHA-256) only."
    )
    individual_data: list[TokenGrant] = strawberry.field(
        description="The individual data the token was granted to read (none by default)."
    )
    scope_path: strawberry.Private[str]

    @classmethod
    def of(cls, record: ApiTokenRecord) -> "ApiToken":
        return cls(
            id=strawberry.ID(str(record.id)),
            name=record.name,
            expires_at=record.expires_at,
            created_at=record.created_at,
            revoked_at=record.revoked_at,
            registered_only=record.registered_only,
            individual_data=[TokenGrant(value) for value in record.individual_grants],
            scope_path=record.scope_path,
        )

    @strawberry.field
    async def scope(self, info: Info) -> Scope | None:
        return await load_scope_of_path(info, self.scope_path)


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(description="Send as `Authorization: Bearer <token>`.")
    expires_at: datetime | None
    user_errors: list[UserError]


@strawberry.input
class CreateApiTokenInput:
    name: str
    scope: strawberry.ID = strawberry.field(description="A Government or OrgUnit id; the token reads below it.")
    expires_at: datetime
    registered_only: bool = strawberry.field(
        default=False, description="Hold the token to registered operations (registerOperations): no other document."
    )
    individual_data: list[TokenGrant] = strawberry.field(
        default_factory=list,
        description="Individual data the token may read (none unless named): each a read you hold over the scope.",
    )


@strawberry.type
class CreateApiTokenPayload:
    token: str | None = strawberry.field(description="The secret, shown this once; only a hash is kept.")
    api_token: ApiToken | None
    user_errors: list[UserError]


@strawberry.input
class RevokeApiTokenInput:
    id: strawberry.ID


@strawberry.type
class RevokeApiTokenPayload:
    api_token: ApiToken | None
    user_errors: list[UserError]


@strawberry.input
class GrantRoleInput:
    username: str
    role: Role
    scope: strawberry.ID = strawberry.field(description="A Government or OrgUnit id.")


@strawberry.type
class GrantRolePayload:
    grant: Grant | None
    user_errors: list[UserError]
