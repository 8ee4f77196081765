"""Statistics: consultation figures, the monthly chart, COUNTER reports and the COUNTER API, the statistics pages."""
