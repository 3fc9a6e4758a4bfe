"""Password hashes: salted scrypt, as stored in the accounts file (`scrypt:N:r:p:SALT:HASH`, salt and
hash in base64).

    >>> stored = hash_password("correct-horse-battery")
    >>> verify_password("correct-horse-battery", stored), verify_password("wrong-horse", stored)
    (True, False)
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SCRYPT_N, SCRYPT_R, SCRYPT_P, SALT_BYTES, KEY_BYTES = 2**14, 8, 1, 16, 32


def hash_password(password: str, salt: bytes | None = None, n: int = SCRYPT_N, r: int = SCRYPT_R,
                  p: int = SCRYPT_P) -> str:
    """`scrypt:N:r:p:salt:hash` for `password`, with a fresh random salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=KEY_BYTES,
                         maxmem=128 * r * n * 2)
    return f"scrypt:{n}:{r}:{p}:{base64.b64encode(salt).decode()}:{base64.b64encode(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split(":")
        if scheme != "scrypt":
            return False
        expected = hash_password(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(expected.encode(), stored.encode())
