import pytest
from django.urls import reverse

from techbridge.accounts.models import User
from techbridge.core.audit import audit_entries_for
from techbridge.marketplace import services
from techbridge.marketplace.models import Interest, Posting

Status = Posting.Status


@pytest.fixture
def admin_client_(db, login):
    return login(
        User.objects.create_superuser("root@techbridge.example", "a-long-password", full_name="Root")
    )


def act(client, model: str, action: str, objects, text: str = ""):
    return client.post(
        reverse(f"admin:marketplace_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects], "text": text},
        follow=True,
    )


def test_admin_publishes_and_returns_through_the_services(admin_client_, make_posting):
    first, second = make_posting(Status.SUBMITTED), make_posting(Status.SUBMITTED, title="Other pumps")
    act(admin_client_, "posting", "publish", [first])
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED
    assert audit_entries_for(first).first().action == "posting.publish"

    response = act(admin_client_, "posting", "reject", [second])
    assert "Say why the posting is returned." in response.content.decode()
    second.refresh_from_db()
    assert second.status == Status.SUBMITTED
    act(admin_client_, "posting", "reject", [second], text="Add the capacity.")
    second.refresh_from_db()
    assert (second.status, second.rejection_reason) == (Status.REJECTED, "Add the capacity.")


def test_admin_answers_interests_and_shows_their_history(admin_client_, make_posting, b_member, org_b):
    posting = make_posting(Status.PUBLISHED)
    interest = services.interest_express(actor=b_member, posting=posting, organisation=org_b, message="Hi.")
    act(admin_client_, "interest", "accept", [interest], text="Welcome.")
    interest.refresh_from_db()
    assert (interest.status, interest.reply) == (Interest.Status.ACCEPTED, "Welcome.")
    page = admin_client_.get(
        reverse("admin:marketplace_interest_change", args=[interest.pk])
    ).content.decode()
    assert "pending" in page and "accepted" in page
    assert admin_client_.get(reverse("admin:marketplace_posting_changelist")).status_code == 200
    assert admin_client_.get(reverse("admin:marketplace_posting_add")).status_code == 403
