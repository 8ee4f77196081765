"""cinedoc: the composition root (the app factory, the command line, the demo: the one place that knows every context)
and, in cinedoc.kernel, the shared kernel every context stands on."""
