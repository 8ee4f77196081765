"""Playback: sessions, media tokens and keys, the gateway, CDN delivery, rate limits, the embeddable player."""
