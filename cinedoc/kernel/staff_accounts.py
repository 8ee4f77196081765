"""Rules for staff accounts: creating them, and checking a login."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from cinedoc.kernel.accounts import Role, StaffUser
from cinedoc.kernel.clock import utcnow
from cinedoc.kernel.errors import Conflict, InvalidInput
from cinedoc.kernel.passwords import hash_password, needs_rehash, verify_password

MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def create_staff_user(
    session: Session,
    *,
    email: str,
    display_name: str,
    password: str,
    role: str,
    institution_id: int | None = None,
) -> StaffUser:
    email = normalise_email(email)
    if not _EMAIL.match(email):
        raise InvalidInput("Enter a valid e-mail address.", field="email")
    if role not in set(Role):
        raise InvalidInput("Unknown role {role}.", field="role", role=role)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("The password needs at least {n} characters.", field="password", n=MIN_PASSWORD_LENGTH)
    if role == Role.LIBRARIAN and institution_id is None:
        raise InvalidInput("A librarian belongs to an institution.", field="institution_id")
    if role != Role.LIBRARIAN and institution_id is not None:
        raise InvalidInput("Only librarians belong to an institution.", field="institution_id")
    if session.exec(select(StaffUser.id).where(StaffUser.email == email)).first() is not None:
        raise Conflict("An account already exists for {email}.", field="email", email=email)
    user = StaffUser(
        email=email,
        display_name=display_name.strip() or email,
        password_hash=hash_password(password),
        role=role,
        institution_id=institution_id,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> StaffUser | None:
    user = session.exec(select(StaffUser).where(StaffUser.email == normalise_email(email))).first()
    if not verify_password(user.password_hash if user else None, password) or user is None or not user.is_active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    session.add(user)
    return user
