"""Every write hallclient makes, in one place (no Qt).

A service takes the acting person (`core.permissions.Actor`), decides whether they may act,
owns the transaction, appends the audit record and the outbox row in that same transaction,
and returns what changed (`Changes`). The window (through its task runner), the command line
and the central all call these functions; nothing else opens a write transaction.
"""
