"""Pay survey (lönekartläggning) and pay analysis: pure computations."""
