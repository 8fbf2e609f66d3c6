"""unmentioned(): a topic the asked report never says, though reports after its year, or of its time, commonly do."""

from collections.abc import Sequence

from qa.core.records import Document
from qa.lang.nouns import Compound, topic_nouns
from qa.lang.tokens import tokenizer_fingerprint
from qa.search import answer as ans
from qa.search.topic import ESTABLISHED, MIN_NEAR, MIN_REPORTS, SINGLE_ESTABLISHED, SINGLE_EVERYWHERE, Mined, Usage, mined
from qa.search.topic import unmentioned as unmentioned_in


def run(*compounds: tuple[str, str]) -> tuple[Compound, ...]:
    return tuple(Compound(first, second) for first, second in compounds)


NEV = [run(("新能源", "汽车"))]


def unmentioned(runs: Sequence[tuple[Compound, ...]], scoped: Sequence[Document], usage: Usage) -> str | None:
    """The rule over these reports alone: they are the index and the corpus both, whatever their number."""
    return unmentioned_in(runs, scoped, usage, corpus=lambda: usage)


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
    assert unmentioned(NEV, [asked], Usage(docs)) == "新能源汽车"


def test_a_topic_the_report_says_is_mentioned() -> None:
    asked = report("hubei2006", 2006, "扶持新能源\n汽车产业。")  # a PDF's line break inside the compound
    assert unmentioned(NEV, [asked], Usage([asked, *corpus("新能源汽车")])) is None
    # One compound of a run said is enough: "营商环境改革" asked, the report says 营商环境.
    said = report("qiantang2021", 2021, "持续优化营商环境。")
    assert unmentioned([run(("营商", "环境"), ("环境", "改革"))], [said], Usage([said, *corpus("环境改革")])) is None


def test_a_topic_as_common_before_as_after_is_the_askers_wording() -> None:
    asked = report("hubei2006", 2006, "完成全年各项任务。")
    # 年度目标 is in half of the earlier reports and all the later ones: not new, so not a sign of absence.
    assert unmentioned([run(("年度", "目标"))], [asked], Usage([asked, *corpus("年度目标", earlier_with="年度目标")])) is None


def test_a_topic_few_reports_use_is_no_sign() -> None:
    asked = report("hubei2006", 2006, "完成全年各项任务。")
    few = corpus("新能源汽车")[: 30 + MIN_REPORTS - 1]  # MIN_REPORTS - 1 later reports say it
    assert unmentioned(NEV, [asked], Usage([asked, *few])) is None


def test_an_unmentioned_topic_is_declined_with_its_name() -> None:
    ev = ans.Evidence(1.0, 1.0, 1.0, 0.05, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, missing_topic="新能源汽车")
    verdict = ans.decide("湖北06年扶持新能源汽车有哪些措施", ["重点支持汽车、钢铁产业。"], {"汽车": 3.0}, ev)
    assert not verdict.answerable and ev.decided
    assert verdict.reason == "所问的报告中没有提到“新能源汽车”"


def test_a_reports_full_wording_of_an_abbreviated_topic_says_it() -> None:
    asked = report("hangzhou2015", 2015, "大力发展农村电子商务，建设规模以上企业研发中心。")
    docs = Usage([asked, *corpus("农村电商，规上企业")])
    assert unmentioned([run(("农村", "电商"))], [asked], docs) is None
    assert unmentioned([run(("规上", "企业"))], [asked], docs) is None


def test_usage_is_counted_once_per_compound() -> None:
    usage = Usage(corpus("新能源汽车"))
    first = usage.of("新能源汽车")
    assert sum(first.values()) == 30 and usage.of("新能源汽车") is first
    assert usage.reports[2006] == 1 and sum(usage.reports.values()) == 60


def of_its_time(with_topic: int, topic: str = "氢能产业", year: int = 2023) -> list[Document]:
    """MIN_NEAR reports within two years of `year`, `with_topic` of them saying `topic`."""
    return [report(f"n{i}", year - 2 + i % 5, f"发展{topic}，壮大新能源产业。" if i < with_topic else "壮大新能源产业。")
            for i in range(MIN_NEAR)]


def test_a_topic_common_in_its_time_whose_word_the_report_never_says_is_unmentioned() -> None:
    asked = report("wuwei2023", 2023, "开工建设风光电项目，壮大新能源及装备制造产业链。")
    enough = int(ESTABLISHED * MIN_NEAR) + 1
    usage = Usage([asked, *of_its_time(enough)])
    assert unmentioned([run(("氢能", "产业"))], [asked], usage) == "氢能产业"  # no 氢能 anywhere in the report
    # Fewer reports of its time name it: no sign.
    assert unmentioned([run(("氢能", "产业"))], [asked], Usage([asked, *of_its_time(enough - 2)])) is None


def test_a_common_topic_whose_words_the_report_says_may_be_worded_otherwise() -> None:
    # "年度目标" asked; the report says its 年度 and its 目标 apart, too far apart to be one wording of them.
    others = of_its_time(MIN_NEAR // 2, "年度目标", 2021)
    apart = report("hangzhou2021", 2021, "完成年度各项任务。主要目标全面实现。")
    assert unmentioned([run(("年度", "目标"))], [apart], Usage([apart, *others])) is None
    # Without 年度 anywhere, it is absent.
    neither = report("hangzhou2021", 2021, "各项任务全面完成。主要目标全面实现。")
    assert unmentioned([run(("年度", "目标"))], [neither], Usage([neither, *others])) == "年度目标"


def test_an_index_with_few_reports_of_the_time_asks_the_corpus() -> None:
    asked = report("xiaoshan2024", 2024, "加快建设图灵小镇，打造中国视谷，壮大新能源产业。")
    few = Usage([asked])
    # The shipped table (scripts/mine_topics.py): 低空经济 is new since 2024 (a third of the reports of 2022-2026,
    # nearly all of them after 2024); 氢能产业 is no newer, but one report in ten of 2022-2026 names it.
    assert unmentioned_in([run(("低空", "经济"))], [asked], few) == "低空经济"
    assert unmentioned_in([run(("氢能", "产业"))], [asked], few) == "氢能产业"
    assert unmentioned_in([run(("低空", "经济"))], [asked], few, corpus=lambda: Usage([])) is None
    # An index with enough reports of the time counts its own, not the corpus's.
    own = Usage([asked, *of_its_time(0, year=2024)])
    assert unmentioned_in([run(("低空", "经济"))], [asked], own) is None
    assert unmentioned_in([run(("氢能", "产业"))], [asked], own) is None


def test_the_nouns_a_question_asks_about_come_before_its_question_word() -> None:
    assert topic_nouns("海南17年发展人工智能有什么部署") == ["发展", "人工智能"]
    # What it asks for is no topic: the report need not say 管理制度 to answer "要完善什么管理制度".
    assert "管理制度" not in topic_nouns("为了确保断面水质达标，要完善什么管理制度")
    # What frames the asking is no topic either; 这几年 asks nothing.
    assert topic_nouns("海绵城市建设进展如何") == ["海绵", "建设"]
    assert "招商引资" in topic_nouns("钱塘区这几年招商引资怎么样")


def test_a_single_noun_common_in_its_time_that_the_report_never_says_is_unmentioned() -> None:
    asked = report("hainan2018", 2018, "发展数字经济，建设智慧海南。")
    share = int(SINGLE_ESTABLISHED * MIN_NEAR) + 1
    usage = Usage([asked, *of_its_time(share, "人工智能", 2018)])
    assert unmentioned_in([], [asked], usage, corpus=lambda: usage, singles=["人工智能"]) == "人工智能"
    # Fewer reports of its time say it: the asker's own word, perhaps (楼市, 停车难).
    few = Usage([asked, *of_its_time(share - 2, "人工智能", 2018)])
    assert unmentioned_in([], [asked], few, corpus=lambda: few, singles=["人工智能"]) is None
    # A noun nearly every report says is the reports' common stock: one that leaves it out says it otherwise.
    stock = Usage([asked, *of_its_time(int(SINGLE_EVERYWHERE * MIN_NEAR) + 1, "招商", 2018)])
    assert unmentioned_in([], [asked], stock, corpus=lambda: stock, singles=["招商"]) is None
    # The report says it: no absence.
    said = report("hainan2018b", 2018, "布局人工智能产业。")
    assert unmentioned_in([], [said], usage, corpus=lambda: usage, singles=["人工智能"]) is None


def test_the_mined_table_knows_single_nouns_for_the_seeds() -> None:
    # A seed index alone knows four reports; the table says how many of 2019-2023 say 区块链's 区块.
    asked = report("hangzhou2021", 2021, "加快建设国家新一代人工智能创新发展试验区。")
    assert unmentioned_in([], [asked], Usage([asked]), singles=["区块"]) == "区块"
    assert unmentioned_in([], [asked], Usage([asked]), singles=["人工智能"]) is None  # said


def test_the_mined_table_reads_reports_per_year_and_per_topic() -> None:
    table = Mined(["# Reports naming each topic (9 reports; tokenizer jieba-0123456789abcdef).", "*\t2020:10\t2021:12",
                   "低空经济\t2021:1", ""])
    assert table.tokenizer == "jieba-0123456789abcdef"
    assert table.reports[2021] == 12 and sum(table.reports.values()) == 22
    assert table.of("低空经济")[2021] == 1 and not table.of("没有的词")
    shipped = mined()
    assert sum(shipped.reports.values()) > 2000
    late = sum(n for year, n in shipped.of("低空经济").items() if year is not None and year >= 2024)
    early = sum(n for year, n in shipped.of("低空经济").items() if year is not None and year < 2022)
    assert late > 100 > early


def test_the_shipped_table_was_mined_with_this_tokenizer() -> None:
    # Another jieba or stopword list forms other compounds: re-run scripts/mine_topics.py on the corpus.
    assert mined().tokenizer == tokenizer_fingerprint()
