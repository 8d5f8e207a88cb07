"""Every write of the resources app: one function per use case, transactional, audited.

- catalogue.py: resources, photos, price lists, opening hours, maintenance blocks, the category tree
- orders.py: booking a slot, ordering a sample service, and the order workflow (payment hooks in the transaction)
- imports.py: Excel import of resources and price lists (all or nothing, with a row report)
"""

from xietong.resources.services.after_service import order_rate, order_sample_advance
from xietong.resources.services.catalogue import (
    categories_ensure,
    maintenance_add,
    maintenance_remove,
    opening_hours_set,
    photo_add,
    photo_remove,
    price_list_set,
    resource_create,
    resource_update,
)
from xietong.resources.services.imports import price_lists_import, resources_import
from xietong.resources.services.orders import (
    order_book,
    order_cancel,
    order_complete,
    order_confirm,
    order_deliver,
    order_mark_no_show,
    order_record_usage,
    order_reject,
    order_sample,
    order_start,
    order_upload_report,
)

__all__ = [
    "categories_ensure",
    "maintenance_add",
    "maintenance_remove",
    "opening_hours_set",
    "order_book",
    "order_cancel",
    "order_complete",
    "order_confirm",
    "order_deliver",
    "order_mark_no_show",
    "order_rate",
    "order_record_usage",
    "order_reject",
    "order_sample",
    "order_sample_advance",
    "order_start",
    "order_upload_report",
    "photo_add",
    "photo_remove",
    "price_list_set",
    "price_lists_import",
    "resource_create",
    "resource_update",
    "resources_import",
]  # fmt: skip
