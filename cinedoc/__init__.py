"""The cinedoc shell: settings, database, staff accounts, the app factory and the command line."""
