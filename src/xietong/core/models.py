from django.conf import settings
from django.db import models

from xietong.core import audit_labels
from xietong.core.wording import stored as worded


class AuditEvent(models.Model):
    """Who did what to which record, when: written by services for every state change that matters."""

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    verb = models.CharField(max_length=80, db_index=True)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]
        verbose_name = "审计记录"
        verbose_name_plural = "审计记录"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.target_type}#{self.target_id}"

    @property
    def verb_display(self) -> str:
        return audit_labels.verb_label(self.verb)

    @property
    def actor_display(self) -> str:
        """The person's name (the username only when no name is on file); `events_for` joins the user."""
        user = self.actor_user
        if user is not None:
            return user.get_full_name() or user.get_username()
        return audit_labels.actor_label(self.actor_label)


class ApiToken(models.Model):
    """A personal API token for scripts; only its SHA-256 is stored, the secret is shown once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=80)
    prefix = models.CharField(max_length=12, db_index=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "API 令牌"
        verbose_name_plural = "API 令牌"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Notification(models.Model):
    """One message to one user about one event; the unique key makes a repeated send a no-op."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(max_length=60)
    key = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set when an e-mail went out; null with `email_wanted` means a later run retries it.
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # How subject and body were worded ({"subject": {"template", "params"}, "body": …}, see core.wording), so
    # pages show them in the reader's language; the columns above keep the Chinese as sent. Empty on old rows.
    wording = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event", "key"], name="notification_once_per_event_key")
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]
        verbose_name = "通知"
        verbose_name_plural = "通知"

    def __str__(self) -> str:
        return f"{self.user_id} {self.event} {self.subject}"

    @property
    def shown_subject(self) -> str:
        """The subject in the reader's language (as stored when it was sent without its template)."""
        return worded((self.wording or {}).get("subject"), self.subject)

    @property
    def shown_body(self) -> str:
        return worded((self.wording or {}).get("body"), self.body)


class NotificationPreference(models.Model):
    """A user's choice for one event: whether it also comes by e-mail (in-app is always on)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(max_length=60)
    email = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="notification_pref_once")]
        verbose_name = "通知偏好"
        verbose_name_plural = "通知偏好"

    def __str__(self) -> str:
        return f"{self.user_id} {self.event} {'邮件' if self.email else '仅站内'}"
