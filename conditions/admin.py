from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from accounts.audit import AuditContext
from accounts.views import signed_in_user
from common.admin_forms import BatchedChoicesInlineFormSet
from common.markdown import render_markdown
from conditions import selectors, services
from conditions.models import FAQ, Condition, RedFlag, Reference, RelatedCondition, Section
from conditions.views import article_context


class SectionInline(admin.StackedInline):
    model = Section
    formset = BatchedChoicesInlineFormSet
    extra = 0
    fields = ("order", "kind", "title", "body", "rendered")
    readonly_fields = ("rendered",)

    @admin.display(description="Preview (as saved)")
    def rendered(self, section: Section):
        if not section.pk:
            return "Save to see the preview."
        return format_html('<div class="condition-admin-preview">{}</div>', render_markdown(section.body))


class RedFlagInline(admin.TabularInline):
    model = RedFlag
    formset = BatchedChoicesInlineFormSet
    extra = 0


class RelatedConditionInline(admin.TabularInline):
    model = RelatedCondition
    formset = BatchedChoicesInlineFormSet
    fk_name = "from_condition"
    extra = 0
    autocomplete_fields = ("to_condition",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[RelatedCondition]:
        # Each row is titled "from → to".
        return super().get_queryset(request).select_related("from_condition", "to_condition")


class FAQInline(admin.StackedInline):
    model = FAQ
    formset = BatchedChoicesInlineFormSet
    extra = 0


class ReferenceInline(admin.TabularInline):
    model = Reference
    formset = BatchedChoicesInlineFormSet
    extra = 0


@admin.register(Condition)
class ConditionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "published", "last_reviewed", "reviewed_by")
    list_filter = ("published",)
    list_select_related = ("reviewed_by",)
    search_fields = ("name", "aliases", "summary")
    prepopulated_fields = {"slug": ("name",)}
    # The review is recorded only by the "Mark as reviewed by me" action, so that it always names the
    # clinician who did it and is audited; nobody can type in a reviewer or a date.
    readonly_fields = ("preview_link", "content_date", "reviewed_by", "last_reviewed")
    fieldsets = (
        (None, {"fields": ("name", "slug", "aliases", "summary", "preview_link")}),
        ("Illustration", {"fields": ("illustration_path", "illustration_alt")}),
        ("Publication and review", {"fields": ("published", "content_date", "reviewed_by", "last_reviewed")}),
    )
    inlines = [SectionInline, RedFlagInline, RelatedConditionInline, FAQInline, ReferenceInline]
    actions = ["mark_reviewed"]

    def has_review_permission(self, request: HttpRequest) -> bool:
        return services.may_review_conditions(signed_in_user(request))

    @admin.action(description="Mark as reviewed by me", permissions=["review"])
    def mark_reviewed(self, request: HttpRequest, queryset: QuerySet[Condition]) -> None:
        reviewer = signed_in_user(request)
        audit = AuditContext.of(request)
        names = []
        for condition in queryset:
            services.condition_mark_reviewed(condition=condition, by=reviewer, audit=audit)
            names.append(condition.name)
        self.message_user(
            request,
            f"Marked as reviewed by {reviewer.get_full_name()}: {', '.join(names)}.",
            messages.SUCCESS,
        )

    @admin.display(description="Preview")
    def preview_link(self, condition: Condition):
        if not condition.pk:
            return "Save the article to preview it."
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">Open the article as readers will see it</a>',
            reverse("admin:conditions_condition_preview", args=[condition.pk]),
        )

    def get_urls(self):
        preview = path(
            "<int:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="conditions_condition_preview",
        )
        return [preview, *super().get_urls()]

    def preview_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        condition = selectors.condition_article_by_pk(pk=object_id)
        if not self.has_view_or_change_permission(request, condition):
            raise PermissionDenied
        return render(request, "conditions/article.html", article_context(condition, preview=True))
