"""A practice catalogue and a local judge that shows the smallest failing input."""
