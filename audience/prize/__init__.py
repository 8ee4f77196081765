"""The audience prize: editions, rounds, ballots, the count and its audit trail, its pages."""
