"""Contact details at rest: AES-GCM under named keys, and keyed hashes; every failure is closed."""

from __future__ import annotations

import base64
import secrets

import pytest

from storage.contact_cipher import (
    ContactCipher,
    KeyFormatError,
    UnreadableContactError,
    address_context,
    cipher_from_environ,
    decode_key,
    encode_key,
    key_id,
)

NUMBER = "+15550104477"
CHAT = "1234567890"
CONTEXT = address_context("sms", "f" * 64)


def _key() -> bytes:
    return secrets.token_bytes(32)


def _cipher(*keys: bytes, hash_key: bytes | None = None) -> ContactCipher:
    return ContactCipher(list(keys) or [_key()], hash_key or _key())


@pytest.mark.parametrize("plain", [NUMBER, CHAT, "whatsapp:+447700900123", "+٩٧١٥٠١٢٣٤٥٦٧"])
def test_a_sealed_address_opens_to_itself_and_shows_nothing_of_it(plain: str) -> None:
    cipher = _cipher()

    sealed = cipher.seal(plain, CONTEXT)

    assert cipher.open(sealed, CONTEXT) == plain
    assert plain not in sealed and plain.lstrip("+") not in sealed
    assert sealed.startswith(cipher.current_key_id + ":")


def test_sealing_twice_gives_two_ciphertexts_of_one_length_for_numbers_and_chat_ids() -> None:
    cipher = _cipher()

    first, second, chat = (cipher.seal(x, CONTEXT) for x in (NUMBER, NUMBER, CHAT))

    assert first != second  # a fresh nonce each time: equal numbers do not look equal
    assert len(first) == len(chat)  # padded: the length tells a number from a chat id not


def test_an_altered_ciphertext_fails_closed() -> None:
    cipher = _cipher()
    kid, _, body = cipher.seal(NUMBER, CONTEXT).partition(":")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[-1] ^= 1

    with pytest.raises(UnreadableContactError, match="fails authentication"):
        cipher.open(f"{kid}:{base64.urlsafe_b64encode(bytes(raw)).decode()}", CONTEXT)
    with pytest.raises(UnreadableContactError):
        cipher.open(f"{kid}:not base64!", CONTEXT)


def test_a_ciphertext_moved_to_another_row_fails_closed() -> None:
    cipher = _cipher()
    sealed = cipher.seal(NUMBER, CONTEXT)

    with pytest.raises(UnreadableContactError, match="moved from another row"):
        cipher.open(sealed, address_context("sms", "0" * 64))


def test_the_wrong_key_gives_a_clear_error_naming_the_missing_key_id() -> None:
    old = _key()
    sealed = _cipher(old).seal(NUMBER, CONTEXT)
    stranger = _cipher(_key())

    with pytest.raises(UnreadableContactError) as raised:
        stranger.open(sealed, CONTEXT)

    message = str(raised.value)
    assert key_id(old) in message and "DATA_KEY does not hold" in message
    assert NUMBER not in message


def test_old_keys_stay_readable_and_new_texts_use_the_first_key() -> None:
    old, new = _key(), _key()
    hash_key = _key()
    before = _cipher(old, hash_key=hash_key).seal(NUMBER, CONTEXT)
    both = _cipher(new, old, hash_key=hash_key)

    assert both.open(before, CONTEXT) == NUMBER
    assert not both.is_current(before)
    after = both.seal(NUMBER, CONTEXT)
    assert both.is_current(after) and after.startswith(key_id(new) + ":")
    assert both.key_ids == (key_id(new), key_id(old))
    with pytest.raises(UnreadableContactError):
        _cipher(old, hash_key=hash_key).open(after, CONTEXT)


def test_the_address_hash_is_keyed_stable_and_separate_from_the_data_keys() -> None:
    hash_key = _key()
    one, same = _cipher(hash_key=hash_key), _cipher(hash_key=hash_key)
    other = _cipher()

    digest = one.digest(NUMBER)

    assert digest == same.digest(NUMBER) and len(digest) == 64
    assert digest != other.digest(NUMBER) and digest != one.digest(CHAT)
    assert one.chat_tag(CHAT) == one.digest(CHAT)[:16]


def test_keys_are_base64_of_32_bytes_with_or_without_padding() -> None:
    raw = _key()

    assert decode_key(encode_key(raw)) == raw
    assert decode_key(encode_key(raw).rstrip("=")) == raw
    with pytest.raises(KeyFormatError, match="32 bytes"):
        decode_key(encode_key(raw[:16]))
    with pytest.raises(KeyFormatError, match="base64"):
        decode_key("not a key at all!")


def test_a_key_listed_twice_is_refused() -> None:
    key = _key()

    with pytest.raises(KeyFormatError, match="twice"):
        ContactCipher([key, key], _key())
    with pytest.raises(KeyFormatError, match="at least one"):
        ContactCipher([], _key())


def test_the_migration_reads_both_keys_from_the_environment_or_none() -> None:
    data, old, hashing = encode_key(_key()), encode_key(_key()), encode_key(_key())

    cipher = cipher_from_environ({"DATA_KEY": f"{data},{old}", "ADDRESS_HASH_KEY": hashing})

    assert cipher is not None and cipher.current_key_id == key_id(decode_key(data))
    assert cipher_from_environ({"DATA_KEY": data}) is None
    with pytest.raises(KeyFormatError, match="ADDRESS_HASH_KEY"):
        cipher_from_environ({"DATA_KEY": data, "ADDRESS_HASH_KEY": "short"})
