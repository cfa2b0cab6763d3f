"""One widget per step of the visit."""
