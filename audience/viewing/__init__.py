"""Viewing: the player's event log, the counting rules, monthly usage, retention, refused openings."""
