"""Qt item models over frozen core results."""
