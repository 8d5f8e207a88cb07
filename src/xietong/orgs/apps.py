from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "xietong.orgs"
    verbose_name = "机构与用户"

    def ready(self) -> None:
        from xietong.orgs import todo_sources

        todo_sources.install()
        from xietong.core import audit_labels
        from xietong.orgs import audit_verbs

        audit_labels.register(audit_verbs.LABELS)
        from django.utils.translation import gettext_lazy as _

        from xietong.core import nav
        from xietong.orgs.policies import OrganisationPolicy

        nav.register(
            nav.NavItem(
                label=_("注册审核"), url_name="review-queue", order=10,
                is_visible=lambda actor: OrganisationPolicy.can(actor, "review_queue"),
            )
        )  # fmt: skip
        nav.register(
            nav.NavItem(
                label=_("批量导入"), url_name="org-import", order=11,
                is_visible=lambda actor: OrganisationPolicy.can(actor, "import"),
            )
        )  # fmt: skip
