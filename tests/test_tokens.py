"""Access tokens are verified once per process and kept; a kept token still expires on time."""

import time
from datetime import UTC, datetime, timedelta

import pytest

from identity.tokens import InvalidToken, issue_access_token, read_access_token

SECRET = "token-test-secret-" + "x" * 40


def test_a_kept_token_stops_authenticating_when_it_expires(monkeypatch: pytest.MonkeyPatch) -> None:
    issued = issue_access_token(secret=SECRET, user_id=7, username="operator.61", now=datetime.now(UTC))
    assert read_access_token(issued.token, secret=SECRET) == 7
    assert read_access_token(issued.token, secret=SECRET) == 7  # from what was kept
    after_expiry = (issued.expires_at + timedelta(seconds=1)).timestamp()
    monkeypatch.setattr(time, "time", lambda: after_expiry)
    with pytest.raises(InvalidToken):
        read_access_token(issued.token, secret=SECRET)


def test_a_token_is_kept_per_secret() -> None:
    issued = issue_access_token(secret=SECRET, user_id=7, username="operator.61", now=datetime.now(UTC))
    assert read_access_token(issued.token, secret=SECRET) == 7
    with pytest.raises(InvalidToken):
        read_access_token(issued.token, secret="another-secret-" + "y" * 40)
