"""Bearer ADMIN_TOKEN for the suite's state-changing endpoints: one FastAPI dependency.

401 without credentials, 403 with the wrong token (compared in constant time); open when the
service has no token (local use, where `make up` binds to 127.0.0.1 only). The service's
settings are read from `request.app.state.settings` (a SuiteSettings)."""

import secrets
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

_bearer = HTTPBearer(auto_error=False, description="ADMIN_TOKEN, when the service has one")

MISSING_TOKEN = "this action needs 'Authorization: Bearer <ADMIN_TOKEN>'"
WRONG_TOKEN = "wrong bearer token (ADMIN_TOKEN)"

AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"description": "ADMIN_TOKEN is set and no bearer token was sent"},
    403: {"description": "The bearer token is not ADMIN_TOKEN"},
}


def token_matches(given: str, expected: str) -> bool:
    return secrets.compare_digest(given.encode(), expected.encode())


async def require_admin(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    token = request.app.state.settings.admin_token
    if token is None:
        return
    if credentials is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            detail=MISSING_TOKEN,
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not token_matches(credentials.credentials, token.get_secret_value()):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=WRONG_TOKEN)


AdminDep = Depends(require_admin)
