"""Import of HR/payroll exports: reading, column profiles, validation, pseudonymisation."""
