"""Who the caller is: passwords, JWTs, API token secrets, and request authentication."""
