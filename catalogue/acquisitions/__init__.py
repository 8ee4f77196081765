"""Acquisitions: proposals, commitments and signatures, renewals, expiry, weeding, the daily rights job."""
