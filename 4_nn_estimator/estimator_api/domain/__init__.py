"""Pure rules of a forecast request: no I/O, no clock, no torch."""
