"""Cryptography of personal data and of the audit trail (no Qt, no SQL, no HTTP).

National algorithms throughout (GB/T 39786 expects them): SM4-GCM encrypts personal data at
rest, HMAC-SM3 makes the blind index that finds a case by ID number and chains the audit
trail; Argon2id hashes passwords. Keys never live in the database file: see `keys`.
"""
