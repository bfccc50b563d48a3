"""Accounts: people, the households they share, invitations and API tokens."""
