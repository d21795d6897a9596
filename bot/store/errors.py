"""The one error the store raises for problems a person can fix (bad path, newer schema...)."""


class StoreError(Exception):
    """Something is wrong with the database file; the message says what and what to do."""


class SessionNotFound(LookupError):
    """No session with that id (or not in that guild)."""
