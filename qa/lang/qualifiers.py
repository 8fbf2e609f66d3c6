"""Words that make a measure another measure: 入境游客 are not all 游客, 出口 is not 进出口, a patent 授权 is no
申请, the 调查 unemployment rate is not the 登记 one, 小麦 is not all 粮食, 总产值 is no 增加值, 存栏 no 出栏, 税收
no whole revenue, and a figure per head (人均) no total.

A figure asked with one of these words is answered only by a sentence that says it (or a word of its kind: 境外
for 入境); "全年接待游客2.78亿人次" gives no count of 入境游客. A small reviewed table, as for synonyms: the
words are the statistical breakdowns the reports themselves use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from qa.lang.figures import gives_figure

# Each group: words of one breakdown, any of which says it. 城乡 says 农村 ("城乡居民收入分别增长3.9%和6.7%").
_GROUPS: tuple[tuple[str, ...], ...] = (
    ("入境", "境外", "海外"),
    ("出口",),
    ("进口",),
    ("授权",),
    ("申请",),
    ("调查",),
    ("登记",),
    ("农村", "乡村", "农民", "城乡"),
    # Older reports say 平均每人 (`_IMPLIED`: an income or a life span is per head however it is said).
    ("人均", "平均每人", "每人平均"),
    ("发明",),
    ("民间", "民营"),
    ("制造业",),
    ("服务业", "第三产业", "三产"),
    ("工业",),
    ("农业", "第一产业", "农林牧渔"),
    ("财政总收入", "全部财政收入"),
    ("高新技术", "高新企业", "高企"),
    ("战略性新兴", "战新"),
    ("核心产业",),
    # The parts of trade the reports break out (as `_TRADE_PARTS`): one part's figure is no other's.
    ("跨境电商", "跨境电子商务"),
    ("服务外包",),
    ("服务贸易",),
    ("机电产品",),
    ("一般贸易",),
    ("加工贸易",),
    ("边境贸易", "边贸"),
    ("户籍",),
    ("常住",),
    ("出生",),
    ("死亡",),
    ("小麦",),
    ("玉米",),
    ("水稻", "稻谷"),
    ("早稻", "早籼稻"),
    ("晚稻",),
    ("大豆",),
    ("棉花",),
    ("油料",),
    ("生猪",),
    ("牛奶",),
    ("蔬菜",),
    ("存栏",),
    ("出栏",),
    ("水果",),
    ("煤炭", "原煤"),
    ("产值",),
    ("税收",),
    ("原油", "石油"),
    ("天然气",),
    ("高中",),
    ("初中",),
    ("小学",),
    ("幼儿园",),
    ("研究生",),
    ("PM2.5", "细颗粒物"),
    ("PM10", "可吸入颗粒物"),
    ("臭氧",),
)
# Clauses, not list items: "城镇、农村居民人均可支配收入分别增长5%、6%" says 农村 with its figure.
_CLAUSE = re.compile(r"[，,：:；;]")
_FIGURE_ASKED = re.compile(r"多少|(?<![哪第])几(?!乎)")  # 哪几 asks a list, 第几 a rank
# A clause that goes on with its subject left out: it opens with a verb of change or level, or the figure itself.
# A year, or a word of plan or outcome, may come first ("一九八一年计划为百分之三点七", "预计达到六百二十八亿元",
# "争取年底前达2.3万家").
_ELIDED = re.compile(r"(?:(?:19|20)\d\d年|[一二][九〇零○][〇零○一二三四五六七八九]{2}年)?(?:计划|实际|预计|力争|争取|确保)?"
                     r"(?:到?(?:(?:19|20)\d\d年)?(?:年底|年末|底)前?|年内)?"
                     r"(?:分别|同比|比上年|全年)?(?:增长|下降|减少|提高|达到|达|突破|超过|实现|完成|为|约|近|占|\d)")
# Clauses with no figure that may come between the word and its figure ("工业总产值（不包括手工业产值，下同），…").
_BETWEEN = 2
# 出口 inside 进出口 is not 出口 alone; 进口博览会 is a fair, 提高中央… no 高中, 非税收入 no 税收,
# and 减免税收 is a tax cut, not the revenue.
# 经济总产值 and GDP总产值 are what people call GDP, and 产值能耗 is energy per unit of it: no breakdown of 产值.
_SAID = {"出口": re.compile(r"(?<!进)出口"), "进口": re.compile(r"进口(?!博览会)"),
         "产值": re.compile(r"(?<!经济总)(?<!gdp总)(?<!GDP总)(?<!国内总)(?<!地区总)产值(?!能耗)"),
         "高中": re.compile(r"(?<!提)高中(?!央|等|端)"),
         "税收": re.compile(r"(?<!非)(?<!减免)(?<!减)税收"),
         # 手工业, 轻工业 and 工农业 are not all 工业, nor is 苏州工业园区 a part of it; 非农业 is no 农业.
         "工业": re.compile(r"(?<![手轻重])工业(?!园区)"), "农业": re.compile(r"(?<![工非])农业"),
         "PM2.5": re.compile(r"(?i)pm\s*2\.5"), "PM10": re.compile(r"(?i)pm\s*10(?!\d)")}


# The parts of a trade figure the reports break out: a figure said of one of them is the part's, not the whole's
# ("跨境电商进出口总额1084.2亿元" gives no figure of all 外贸进出口, "“新三样”出口分别增长43.9%" none of all 出口).
_TRADE = ("进出口", "出口", "进口")
_TRADE_PARTS = ("跨境电商", "跨境电子商务", "新三样", "机电产品", "高新技术产品", "农产品", "服务贸易", "服务外包",
                "一般贸易", "加工贸易", "民营企业", "外资企业", "外商投资企业", "国有企业", "市场采购", "边境贸易", "边贸",
                "保税", "综保区", "综合保税区")


def _says(word: str, text: str) -> bool:
    pattern = _SAID.get(word)
    return bool(pattern.search(text)) if pattern else word in text


# Measures that are per head by nature: "城乡居民收入分别增长3.9%和6.7%" and "居民平均预期寿命" are per head, so 人均
# asks nothing more of them; 人均GDP asks more of GDP.
_IMPLIED = {"人均": re.compile(r"收入|寿命")}


def asked_qualifiers(question: str) -> list[tuple[str, ...]]:
    """The groups whose words the question says where it asks a figure (in a clause with 多少 or 几, not 第几 or
    哪几: "有没有死亡的" asks no figure of 死亡), each led by the word it says."""
    asking = "，".join(clause for clause in _CLAUSE.split(question) if _FIGURE_ASKED.search(clause))
    out = []
    for group in _GROUPS:
        said = [word for word in group if _says(word, asking)]
        if said and not (group[0] in _IMPLIED and _IMPLIED[group[0]].search(asking)):
            out.append((said[0], *(w for w in group if w != said[0])))
    return out


def unsaid(question: str, sentences: Sequence[str], figure: Callable[[str], bool] = gives_figure) -> str | None:
    """The question's first breakdown word that none of `sentences` gives a `figure` for, or None."""
    for group in asked_qualifiers(question):
        if not any(gives_for(group, sentence, figure) for sentence in sentences):
            return group[0]
    return None


def part_only(question: str, sentences: Sequence[str], figure: Callable[[str], bool] = gives_figure) -> str | None:
    """The part ("跨境电商") that every figure of the asked trade measure in `sentences` is said of, where the question
    asks a figure of the whole (it names none of the parts); None when a clause gives the whole's figure, or none
    gives the measure's at all (left to the other checks)."""
    asking = "，".join(clause for clause in _CLAUSE.split(question) if _FIGURE_ASKED.search(clause))
    measure = next((word for word in _TRADE if _says(word, asking)), None)
    if measure is None or any(word in question for word in _TRADE_PARTS):
        return None
    parts = []
    for sentence in sentences:
        clauses = _CLAUSE.split(sentence)
        for i, clause in enumerate(clauses):
            if not _says(measure, clause) or not (figure(clause) or _elided_figure(clauses[i + 1:], figure)):
                continue
            named = next((word for word in _TRADE_PARTS if word in clause), None)
            if named is None:
                return None
            parts.append(named)
    return parts[0] if parts else None


def gives_for(group: Sequence[str], sentence: str, figure: Callable[[str], bool] = gives_figure) -> bool:
    """Whether a clause of the sentence says a word of the group and gives a `figure`, or the clause after it does
    with its subject left out ("入境游客增长20%、达到120万人次"). "探索“保税进口+零售加工”新模式，跨境电商进出口总额
    1084.2亿元" gives no figure of 进口."""
    clauses = _CLAUSE.split(sentence)
    return any(any(_says(word, clause) for word in group) and (figure(clause) or _elided_figure(clauses[i + 1:], figure))
               for i, clause in enumerate(clauses))


def _elided_figure(after: Sequence[str], figure: Callable[[str], bool]) -> bool:
    """Whether the first clause of `after` that gives a figure, past at most `_BETWEEN` that give none, has left
    its subject out."""
    for clause in after[:_BETWEEN + 1]:
        if gives_figure(clause):
            return bool(_ELIDED.match(clause.strip())) and figure(clause)
    return False
