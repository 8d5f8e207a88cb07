"""Tables of this app; see services.py for every write."""
