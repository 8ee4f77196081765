"""Rights: licences, budget lines, commitments, renewals, expiry, and the access question every context asks.

The package imports nothing: `import rights.models` needs no web framework. The route handlers are listed in
`rights.routes`, for the composition root.
"""
