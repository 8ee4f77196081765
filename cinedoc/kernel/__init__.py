"""The shared kernel every context stands on: settings, database, errors, staff accounts and guards, i18n, templating,
clock. It imports no context."""
