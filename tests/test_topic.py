"""unmentioned(): a topic the asked report never says, though reports after its year commonly do."""

from qa.core.records import Document
from qa.search import answer as ans
from qa.search.topic import MIN_REPORTS, unmentioned


def report(doc_id: str, year: int, text: str) -> Document:
    return Document(doc_id, f"{year}年报告", "湖北省", year, "province", "full", f"{doc_id}.txt", text, "0" * 64)


def corpus(later_with: str, earlier_with: str = "") -> list[Document]:
    """30 reports of 2006 and before, 30 after; the later ones say `later_with`, the earlier ones `earlier_with`."""
    early = [report(f"e{i}", 1990 + i % 17, f"发展汽车工业。{earlier_with}") for i in range(30)]
    late = [report(f"l{i}", 2010 + i % 15, f"推广{later_with}，发展汽车工业。") for i in range(30)]
    return early + late


def test_a_topic_new_since_the_asked_report_is_unmentioned() -> None:
    asked = report("hubei2006", 2006, "因地制宜地开发新能源和可再生能源。重点支持汽车、钢铁产业。")
    docs = [asked, *corpus("新能源汽车")]
    assert unmentioned([("新能源汽车",)], [asked], docs) == "新能源汽车"


def test_a_topic_the_report_says_is_mentioned() -> None:
    asked = report("hubei2006", 2006, "扶持新能源\n汽车产业。")  # a PDF's line break inside the compound
    assert unmentioned([("新能源汽车",)], [asked], [asked, *corpus("新能源汽车")]) is None
    # One compound of a run said is enough: "营商环境改革" asked, the report says 营商环境.
    said = report("qiantang2021", 2021, "持续优化营商环境。")
    assert unmentioned([("营商环境", "环境改革")], [said], [said, *corpus("环境改革")]) is None


def test_a_topic_as_common_before_as_after_is_the_askers_wording() -> None:
    asked = report("hubei2006", 2006, "完成全年各项任务。")
    # 年度目标 is in half of the earlier reports and all the later ones: not new, so not a sign of absence.
    assert unmentioned([("年度目标",)], [asked], [asked, *corpus("年度目标", earlier_with="年度目标")]) is None


def test_a_topic_few_reports_use_is_no_sign() -> None:
    asked = report("hubei2006", 2006, "完成全年各项任务。")
    few = corpus("新能源汽车")[: 30 + MIN_REPORTS - 1]  # MIN_REPORTS - 1 later reports say it
    assert unmentioned([("新能源汽车",)], [asked], [asked, *few]) is None


def test_an_unmentioned_topic_is_declined_with_its_name() -> None:
    ev = ans.Evidence(1.0, 1.0, 1.0, 0.05, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, missing_topic="新能源汽车")
    verdict = ans.decide("湖北06年扶持新能源汽车有哪些措施", ["重点支持汽车、钢铁产业。"], {"汽车": 3.0}, ev)
    assert not verdict.answerable and ev.decided
    assert verdict.reason == "所问的报告中没有提到“新能源汽车”"
