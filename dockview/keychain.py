"""The API key in the system's keyring (Secret Service, macOS Keychain, Windows Credential
Locker) rather than in the plain-text settings file.

Every keyring failure is an answer, not an exception: no backend, a locked or refusing one, a
D-Bus that is not there. The caller then keeps the key for this run, or in the settings file
when the person asks for that. Messages never include the key.
"""

from __future__ import annotations

import contextlib
import logging

log = logging.getLogger(__name__)

SERVICE = "dockview"
ACCOUNT = "api-key"


def keyring_available() -> bool:
    """Whether a real keyring backend is there (not keyring's "fail" or "null" stand-ins)."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception:  # a broken backend module must not stop the program
        log.info("No keyring backend could be loaded.", exc_info=True)
        return False
    return not isinstance(backend, fail.Keyring | null.Keyring)


def keyring_name() -> str:
    """The backend's name for the Settings dialog ("SecretService Keyring", ...)."""
    import keyring

    backend = keyring.get_keyring()
    return str(getattr(backend, "name", type(backend).__name__))


def read_key() -> str | None:
    """The stored key, or None when there is none or no keyring answers."""
    if not keyring_available():
        return None
    try:
        import keyring

        key = keyring.get_password(SERVICE, ACCOUNT)
    except Exception as exc:
        log.info("The keyring did not give the API key: %s", type(exc).__name__)
        return None
    return key.strip() or None if key else None


def store_key(key: str | None) -> bool:
    """Keep ``key`` in the keyring (None: forget it); False when no keyring took it."""
    if not keyring_available():
        return False
    try:
        import keyring
        from keyring.errors import PasswordDeleteError

        if key:
            keyring.set_password(SERVICE, ACCOUNT, key)
        else:
            with contextlib.suppress(PasswordDeleteError):  # there was none
                keyring.delete_password(SERVICE, ACCOUNT)
    except Exception as exc:
        log.info("The keyring did not take the API key: %s", type(exc).__name__)
        return False
    return True
