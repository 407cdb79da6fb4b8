"""Reading an operator's password: a prompt on a terminal, otherwise one line of standard input."""

from __future__ import annotations

import getpass
import sys
from typing import TextIO

from chalicelib.domain import password_policy


class PasswordRefused(ValueError):
    """No password could be read, or it breaks the policy; the message says which."""


NO_TERMINAL = "no terminal to ask for the password: pipe it in and add --password-stdin"
MISMATCH = "the two passwords differ"


def read_password(username: str, from_stdin: bool, stdin: TextIO | None = None, prompt=None) -> str:
    stdin = stdin or sys.stdin
    prompt = prompt or getpass.getpass
    if from_stdin:
        password = stdin.readline().rstrip("\r\n")
    elif stdin.isatty():
        password = prompt(f"Password for {username}: ")
        if prompt("Repeat the password: ") != password:
            raise PasswordRefused(MISMATCH)
    else:
        raise PasswordRefused(NO_TERMINAL)
    if not password_policy.conforms(password, username):
        raise PasswordRefused(f"{password_policy.POLICY_TEXT} {password_policy.DESCRIPTION}")
    return password
