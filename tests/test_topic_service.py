"""The topic rule through the service: a non-number question about a topic that came up after the asked report."""

from pathlib import Path

from qa.core.service import QAService
from qa.core.settings import Settings

from .conftest import FakeEncoder

PROVINCES = ["江苏省", "浙江省", "广东省", "山东省", "四川省", "河南省"]


def write_reports(folder: Path) -> None:
    folder.mkdir()
    (folder / "2006_hubei.txt").write_text(
        "2006年湖北省政府工作报告\n一、2005年工作回顾\n全省生产总值增长12%。\n二、2006年工作安排\n"
        "重点支持汽车、钢铁、石化产业加快发展。因地制宜地开发新能源和可再生能源。\n", encoding="utf-8")
    for i in range(24):
        year, province = 2010 + i // len(PROVINCES), PROVINCES[i % len(PROVINCES)]
        (folder / f"{year}_{i}.txt").write_text(
            f"{year}年{province}政府工作报告\n一、{year - 1}年工作回顾\n全省生产总值增长8%。\n二、{year}年工作安排\n"
            "大力推广新能源汽车，建设充电设施。\n", encoding="utf-8")


def test_a_topic_new_since_the_asked_report_is_declined_by_name(tmp_path: Path, settings: Settings) -> None:
    write_reports(tmp_path / "reports")
    service = QAService(settings, encoder=FakeEncoder())
    service.index_paths([tmp_path / "reports"], replace_all=True)
    declined = service.ask("湖北06年扶持新能源汽车有哪些措施")
    assert not declined.answerable and declined.reason == "所问的报告中没有提到“新能源汽车”"
    assert declined.passages  # the closest passages still come back
    # A topic the report says, and a figure asked (whose metric reports name in many ways), are left to the rest.
    assert service.ask("湖北06年发展汽车产业有哪些措施").reason != declined.reason
    assert service.ask("湖北06年新能源汽车产量多少").reason != declined.reason
    # The later reports say it: asked of one of them, the topic is there.
    assert service.ask("江苏2010年推广新能源汽车有哪些措施").reason != declined.reason
