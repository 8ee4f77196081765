"""ASGI entry point for servers that import the app by name (uvicorn workers, gunicorn)."""

from cinedoc.app import create_app

app = create_app()
