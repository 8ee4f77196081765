"""Streaming: institutions and subscriptions, media packaging and storage, patron access and playback."""
