"""``veil bench ...``: benchmarks anyone can rerun (speed vs exiftool, detector scores)."""
