"""Form helpers shared by every app's web views."""

from django.contrib import messages
from django.core.exceptions import ValidationError


def add_service_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError on the form: on the form's own fields where it has them, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_write(request, form, write, done: str) -> bool:
    """Run `write(form.cleaned_data)` for a valid form, telling the user `done`; False (errors on the form)
    when the form or the service refuses, so the caller shows the page again."""
    if not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    messages.success(request, done)
    return True


def tell(request, write, done: str | None = None) -> bool:
    """Run `write()` for a post that redirects back to its page: the user hears `done` (when given) or the
    service's refusal, as messages."""
    try:
        write()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    if done:
        messages.success(request, done)
    return True


def tell_form(request, form, write, done: str) -> bool:
    """`tell` for `write(form.cleaned_data)`; an invalid form's errors are told the same way."""
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return False
    return tell(request, lambda: write(form.cleaned_data), done)
