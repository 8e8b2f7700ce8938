"""Example solutions for the practice problems: for each family one correct and one subtly wrong."""
