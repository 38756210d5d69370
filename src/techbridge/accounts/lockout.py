"""django-axes hooks: login failures count per email address."""


def lockout_username(request, credentials) -> str:
    """The email, lower-cased: changing its case must not start a fresh count of failures."""
    value = (credentials or {}).get("username") or request.POST.get("username", "")
    return value.strip().lower()
