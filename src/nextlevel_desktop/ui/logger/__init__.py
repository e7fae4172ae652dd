"""The activities area: activity list, logging, accounts, engagements."""
