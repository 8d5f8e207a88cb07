"""Platform indicators of the talent app for the evaluation app's registry (aggregates only).

Cross-region is judged at the level of the evaluated units, as the registry's other providers do: a record
whose two ends roll up to the same unit is local, and an end outside every unit is another region.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from xietong.evaluation.platform_indicators import register, unit_of_region
from xietong.talent.enums import AppointmentStatus, SeatStatus
from xietong.talent.models import Appointment, ReviewSeat

Values = dict[int, dict[str, float]]


def _counts(
    rows: Iterable[tuple[str, str, int]], units: Sequence[str], years: Sequence[int], first: int | None
) -> Values:
    """Count (home end, other end, year) rows per home unit where the other end lies in another unit."""
    if first is None:
        return {}
    mapping = unit_of_region(units)
    out: Values = {year: dict.fromkeys(units, 0.0) for year in years if year >= first}
    for home, other, year in rows:
        unit = mapping.get(home)
        if unit is None or year not in out or mapping.get(other) == unit:
            continue
        out[year][unit] += 1
    return out


@register("talent.cross_region_appointments", name="跨区域柔性聘用人才数", unit="人次", app_label="talent")
def cross_region_appointments(units, years) -> Values:
    """Appointments the home organisation consented to, by the year they start, per host unit."""
    qs = Appointment.objects.exclude(  # tenancy-ok: aggregate counts per region and year, no record leaves
        status__in=[AppointmentStatus.OFFERED, AppointmentStatus.REFUSED]
    )
    first = qs.order_by("start_on").values_list("start_on__year", flat=True).first()
    rows = qs.filter(start_on__year__in=list(years)).values_list(
        "host_org__region_id", "home_org__region_id", "start_on__year"
    )
    return _counts(rows, units, years, first)


@register("talent.cross_region_reviews", name="跨区域专家评审人次", unit="人次", app_label="talent")
def cross_region_reviews(units, years) -> Values:
    """Accepted review seats whose expert lies in another unit than the applicant, per applicant unit."""
    qs = ReviewSeat.objects.filter(
        status=SeatStatus.ACCEPTED
    )  # tenancy-ok: aggregate counts, no record leaves
    first = qs.order_by("drawn_at").values_list("drawn_at__year", flat=True).first()
    rows = qs.filter(drawn_at__year__in=list(years)).values_list(
        "item__applicant_region_id", "expert__profile__region_id", "drawn_at__year"
    )
    return _counts(rows, units, years, first)
