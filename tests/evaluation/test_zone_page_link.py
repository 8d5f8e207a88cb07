"""The zone page points readers at the zone's published index reports, and only at published ones."""

from xietong.core.actor import SYSTEM
from xietong.evaluation import services


def test_zone_page_links_published_runs_only(client, yrd_run):
    assert f"/evaluation/runs/{yrd_run.pk}/" not in client.get("/zones/yrd/").content.decode()
    services.run_publish(actor=SYSTEM, run_id=yrd_run.pk)
    html = client.get("/zones/yrd/").content.decode()
    assert f"/evaluation/runs/{yrd_run.pk}/" in html
    assert f"/evaluation/runs/{yrd_run.pk}/" not in client.get("/zones/jjj/").content.decode()
