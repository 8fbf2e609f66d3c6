"""content_nouns() and unseen_nouns(): the nouns of a question that no indexed report uses; compounds(): runs of them."""

from qa.lang.nouns import Compound, compounds, content_nouns, unseen_nouns

KNOWN = {"居民", "收入", "标准", "工资", "农村", "高新技术企业", "新增", "国家"}


def known(term: str) -> bool:
    return term in KNOWN


def test_nouns_are_kept_and_question_framing_is_not() -> None:
    assert content_nouns("杭州2020年电影院票房有多少") == ["电影院", "票房"]
    # verbs, fillers and framing nouns are no topic: 打算/新增 (verbs), 时候, 变化
    assert "打算" not in content_nouns("杭州2021年打算新增多少家上市公司")
    assert content_nouns("疫情的时候杭州派了多少医护人员去湖北") == ["疫情", "医护人员"]
    assert "变化" not in content_nouns("萧山两年的目标有什么变化")
    # "数量…多少家" asks the count; the reports give it without the word ("争取年底前达2.3万家").
    assert content_nouns("广东17年高新技术企业数量打算达到多少家") == ["高新技术", "企业"]


def test_a_noun_no_report_uses_is_unseen() -> None:
    assert unseen_nouns(content_nouns("最低工资标准是多少"), known) == ["最低工资"]  # 最低 is no report word here
    assert unseen_nouns(content_nouns("电影院票房有多少"), known) == ["电影院", "票房"]


def test_a_compound_the_reports_write_apart_is_seen() -> None:
    assert unseen_nouns(content_nouns("农村居民收入增长了几个点"), known) == []  # 居民收入 = 居民 + 收入
    assert unseen_nouns(content_nouns("平均工资是多少"), lambda t: t in KNOWN | {"平均工资"}) == []


def texts(text: str) -> list[tuple[str, ...]]:
    return [tuple(c.text for c in run) for run in compounds(text)]


def test_compounds_are_runs_of_adjacent_nouns() -> None:
    assert texts("湖北06年扶持新能源汽车有哪些措施") == [("新能源汽车",)]
    assert texts("黔南州发展低空经济有哪些部署") == [("低空经济",)]  # 发展 is a verb's noun use, no leading word
    assert texts("贵州发展大数据产业有哪些举措") == [("大数据",)]  # after an attribute, 数据 names the topic
    # Three nouns in a row: one run of two compounds, either of which a report may say.
    assert texts("钱塘新区在营商环境改革上做了啥") == [("营商环境", "环境改革")]
    assert texts("萧山发展经济有什么规划") == []
    assert texts("就业情况怎么样") == []  # 情况 frames the question
    assert texts("物联网产业有什么发展") == []  # 物/联网: jieba cut a word apart, so 联网产业 is no compound


def test_a_compound_keeps_the_words_the_question_was_cut_into() -> None:
    assert compounds("武威发展低空经济有哪些部署") == [(Compound("低空", "经济"),)]
