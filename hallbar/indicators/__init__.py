"""Key figures (nyckeltal): pure computations on HRData frames."""
