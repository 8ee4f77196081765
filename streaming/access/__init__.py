"""Access: institutions, subscriptions, origins and keys; the sign-in adapters (assertion, on-site, CAS); who may watch
what."""
