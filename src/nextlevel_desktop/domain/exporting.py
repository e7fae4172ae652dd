"""What can be exported to CSV (the command line lists these without loading the storage stack)."""

WHAT = ("activities", "engagements", "accounts")
