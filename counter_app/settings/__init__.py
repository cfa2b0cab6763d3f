"""The counter's settings file (``settings.toml``): read by every layer, imports none of them."""
