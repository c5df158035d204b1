"""Workforce projection and competence-supply planning: pure computations."""
