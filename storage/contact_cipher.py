"""Residents' contact details at rest: AES-256-GCM ciphertexts and keyed HMAC-SHA256 hashes.

A ciphertext names the key it was sealed with (`<key id>:<base64>`), so the keys DATA_KEY lists
are all readable at once and rows move to the newest key in batches (`python -m bot keys
rotate`). The keyed hash finds a resident by address without decrypting anything; its key
(ADDRESS_HASH_KEY) is separate, so a leaked hash key reveals no ciphertext. Nothing here reads
the environment except `cipher_from_environ`, which the migration uses when no cipher is handed
to it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
_NONCE_BYTES = 12
# Plaintexts are padded to a multiple of this, so a ciphertext's length does not tell a phone
# number from a chat id.
_BLOCK = 32
_KEY_ID_LABEL = b"parley data key id"


class KeyFormatError(ValueError):
    """A key is not the base64 text of 32 bytes."""


class UnreadableContactError(RuntimeError):
    """A stored contact detail cannot be decrypted: its key is absent, or it was altered."""


def decode_key(text: str) -> bytes:
    """Decode a key written as URL-safe base64 (padding optional) of 32 random bytes."""
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))
    except (binascii.Error, ValueError) as exc:
        raise KeyFormatError("not base64 text") from exc
    if len(raw) != KEY_BYTES:
        raise KeyFormatError(f"expected {KEY_BYTES} bytes of base64, got {len(raw)}")
    return raw


def encode_key(raw: bytes) -> str:
    """Write a key as URL-safe base64 (what DATA_KEY and ADDRESS_HASH_KEY hold)."""
    return base64.urlsafe_b64encode(raw).decode("ascii")


def key_id(key: bytes) -> str:
    """Name a data key by a fingerprint that reveals nothing of it (8 hex digits)."""
    return hmac.new(key, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:8]


class ContactCipher:
    """Seal and open contact details under the data keys; hash addresses with the hash key."""

    def __init__(self, data_keys: Sequence[bytes], hash_key: bytes) -> None:
        if not data_keys:
            raise KeyFormatError("at least one data key is needed")
        if len({*data_keys}) != len(data_keys):
            raise KeyFormatError("a data key is listed twice")
        self._keys = {key_id(key): AESGCM(key) for key in data_keys}
        if len(self._keys) != len(data_keys):
            raise KeyFormatError("two data keys share a key id; generate a new one")
        self._current = key_id(data_keys[0])
        self._hash_key = hash_key

    @classmethod
    def throwaway(cls) -> ContactCipher:
        """Return a cipher with fresh random keys, for a database gone with its process."""
        return cls([os.urandom(KEY_BYTES)], os.urandom(KEY_BYTES))

    @property
    def current_key_id(self) -> str:
        """Return the id of the key new ciphertexts are sealed with (the first listed)."""
        return self._current

    @property
    def key_ids(self) -> tuple[str, ...]:
        """Return the ids of every key ciphertexts can be opened with."""
        return tuple(self._keys)

    def digest(self, address: str) -> str:
        """Return the keyed hash of an address (as the channel normalised it), in hex."""
        return hmac.new(self._hash_key, address.encode(), hashlib.sha256).hexdigest()

    def chat_tag(self, chat_id: str) -> str:
        """Name a chat without its id (in Telegram's message ids): the hash's first 16 digits."""
        return self.digest(chat_id)[:16]

    def seal(self, plaintext: str, context: str) -> str:
        """Encrypt `plaintext` under the current key, bound to `context` (its row's identity)."""
        data = plaintext.encode()
        if len(data) > 255:
            raise ValueError("a contact detail is at most 255 bytes")
        padded = bytes([len(data)]) + data
        padded += b"\0" * (-len(padded) % _BLOCK)
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._keys[self._current].encrypt(nonce, padded, context.encode())
        return f"{self._current}:{base64.urlsafe_b64encode(nonce + sealed).decode('ascii')}"

    def open(self, token: str, context: str) -> str:
        """Decrypt a ciphertext; fail closed (never garbage) if its key is absent or it changed."""
        kid, _, body = token.partition(":")
        aead = self._keys.get(kid)
        if aead is None:
            raise UnreadableContactError(
                f"a contact detail is sealed with key id {kid!r}, which DATA_KEY does not hold"
                f" (it holds {', '.join(self._keys)}): add that key after the current one"
            )
        try:
            raw = base64.urlsafe_b64decode(body.encode("ascii"))
            padded = aead.decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
        except (InvalidTag, binascii.Error, ValueError) as exc:
            raise UnreadableContactError(
                f"a contact detail sealed with key id {kid!r} fails authentication: it was"
                " altered or moved from another row"
            ) from exc
        return padded[1 : 1 + padded[0]].decode()

    def is_current(self, token: str) -> bool:
        """Say whether a ciphertext is sealed with the current key (rotation skips it)."""
        return token.startswith(self._current + ":")


def cipher_from_environ(environ: Mapping[str, str] | None = None) -> ContactCipher | None:
    """Build the cipher from DATA_KEY and ADDRESS_HASH_KEY; None when either is unset."""
    env = os.environ if environ is None else environ
    data, hashing = env.get("DATA_KEY", "").strip(), env.get("ADDRESS_HASH_KEY", "").strip()
    if not data or not hashing:
        return None
    try:
        keys = [decode_key(part) for part in data.split(",") if part.strip()]
    except KeyFormatError as exc:
        raise KeyFormatError(f"DATA_KEY: {exc}") from exc
    try:
        hash_key = decode_key(hashing)
    except KeyFormatError as exc:
        raise KeyFormatError(f"ADDRESS_HASH_KEY: {exc}") from exc
    return ContactCipher(keys, hash_key)


def address_context(channel: str, address_hash: str) -> str:
    """Name what a respondent's sealed address belongs to: moved to another row, it won't open."""
    return f"respondents:{channel}:{address_hash}"
