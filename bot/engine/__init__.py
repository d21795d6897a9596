"""Session engine: one role-play as a pure state machine over a Scenario."""

from bot.engine.session import Session, SessionOver, SessionState, TurnResult, matches

__all__ = ["Session", "SessionOver", "SessionState", "TurnResult", "matches"]
