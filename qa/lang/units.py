"""The unit a question asks its figure in ("多少亿吨", "几家", "多少钱"), and whether a sentence gives a figure in it.

A question that names its unit tells what an answer must say: "宁波港口货物吞吐量多少亿吨" is not answered by
"集装箱吞吐量达到2063万标箱", nor "一个名额补多少钱" by a count of 名额. A figure at another scale (8500万吨 for 多少亿吨)
or in a counter of the same kind (家/户, 人/名, 吨/斤, 元/美元, 天/工作日) still answers: the reports write the same
measure many ways, and a right answer declined is the worst error. A review of 584,756 report sentences that give a
number (2026-12-07) chose the kinds and the spellings below.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from qa.lang.figures import asks_one_figure

_ASKED = ("亿美元", "万美元", "美元", "亿元", "万元", "元", "万亿", "亿吨", "万吨", "吨", "亿斤", "万斤", "斤", "万人次",
          "人次", "万人", "人", "名", "万户", "户", "家", "项", "天", "套", "公里", "千米", "万平方米", "平方米",
          "平方公里", "万亩", "亩", "公顷", "张", "所", "辆", "台", "件", "座", "条", "小时", "万标箱", "标箱",
          "万千瓦时", "亿千瓦时", "千瓦时", "万千瓦", "千瓦", "床", "岁", "对", "微克", "亿", "万", "钱", "个")
# Alternation takes the first that matches, not the longest: 千瓦时 must be tried before 千瓦.
_UNIT = "|".join(sorted(_ASKED, key=len, reverse=True))
# 几 after a determiner or a numeral is "a few" (这几家, 前几天, 十几家, 的几家), not a question.
_QUESTION = re.compile(r"(?:(?<![哪这那前后近好十百千万两三四五六七八九的第])几|多少)(个)?(" + _UNIT + r")")
# A unit-looking character that opens another word: 名额, 家庭, 天然气, 户籍, 台账, 条件, 项目, 人民币.
_NOT_UNIT = {"名": "额|次|义|单|称|牌|录", "家": "庭|长|属|族|乡|具|电|园|门", "户": "籍|口|型", "天": "然|数|津|河|空|气",
             "台": "账|阶|风|湾|州|商|胞", "条": "件|例|款|约|码", "人": "民币|均|所得|才|体|户|大", "吨": "位",
             "所": "得|有|属|以", "项": "目", "座": "谈|位", "张": "家", "套": "餐",
             "对": "(?![，。？?！!]|$|夫|新人|婚)"}
# An age asked without a counter ("市长多大年纪") asks it in 岁.
_AGE = re.compile(r"多大年纪|多大岁数|年纪多大|年龄多大|年龄是多少|多少周岁")
_RANK = re.compile(r"(?:第|前|排|排名)(?:多少|几)(?:名|位)")  # 前几名 asks a rank
_LIST = re.compile(r"哪些|哪几|分别是什么|是什么|叫什么|名单|名称")
_PERCENT_POINT = re.compile(r"(?:几|多少)个(?:百分)?点")
# Counters that stand for one another in the reports' usage; a unit not listed is its own kind.
_KINDS = (
    ("家", "户", "个", "所", "座"),
    ("人", "名", "人次", "位"),
    ("公里", "千米", "km"),
    ("平方公里", "平方千米"),
    ("平方米", "平米", "㎡"),
    ("张", "床", "个"),
    ("辆", "台", "架"),
    ("项", "个", "件", "条"),
    ("套", "户", "间"),
    ("元", "钱", "美元"),
    ("吨", "斤", "公斤"),
    ("亩", "公顷"),
    ("千瓦", "兆瓦"),
    ("千瓦时", "度"),
    ("标箱", "标准箱"),
    ("天", "日", "工作日", "小时"),
    ("岁", "周岁"),
    ("微克", "μg", "µg", "ug"),
)
_NUMERAL = r"(?:\d[\d,，]*(?:\.\d+)?|[一二三四五六七八九十两百千万亿]+)"
_SCALE = r"(?:多|余|近|超)?(?:万亿|千亿|百亿|亿|千万|百万|十万|万|千|百)?(?:多|余)?(?:个)?"
# A scale with no counter after it leaves the counter unsaid: before punctuation or 以上/左右 ("脱贫12.58万、",
# "减少贫困人口80万以上"), and, for people and households, before the noun it counts ("7.6万贫困人口", "15万农户").
_SCALED = r"\d(?:\.\d+)?(?:多|余)?(?:万亿|[万亿])(?:多|余)?"
# `[` opens the answer line's citation marker ("…脱贫12.58万[1]").
_ELIDED = re.compile(_SCALED + r"(?=[、，,；;。）)\[\]”]|以上|左右|以内|大关|台阶|$)")
_PEOPLE = re.compile(_SCALED + r"(?:农村|贫困|农民|农牧民|群众|人口|城乡|建档|居民|职工|学生|儿童|老人|移民|劳动力|妇女"
                     r"|游客|市民|干部|党员|下岗|失业|困难|毕业生|大学生|青年|考生|患者|残疾)")
_HOUSEHOLDS = re.compile(_SCALED + r"(?:农户|贫困户|居民|家庭|户籍|用户|市场主体|企业)")
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def asked_unit(question: str) -> str | None:
    """The unit the question asks its figure in, or None when it names none (多少, 增长多少, 几个点, 前几名)."""
    if _PERCENT_POINT.search(question) or _RANK.search(question):
        return None
    if _AGE.search(question):
        return "岁"
    for m in _QUESTION.finditer(question):
        unit, rest = m.group(2), question[m.end():]
        if unit in _NOT_UNIT and re.match(_NOT_UNIT[unit], rest):
            if unit == "人" and rest.startswith("民币"):
                return "钱"
            continue
        # 个 counts anything ("几个院士专家" is answered in 人), so it asks no unit; "多少个人" asks for people.
        if unit == "个" or (m.group(1) and unit != "人"):
            return None
        # "多少亿元以上项目" asks for projects, counted by a threshold in 亿元.
        if re.match(r"\S?(?:以上|以下|以内|左右)", rest):
            return None
        if m.group(0).startswith("几") and _LIST.search(question):
            return None  # "的几家大医院项目有哪些" asks a list
        return unit
    return None


def _base(unit: str) -> str:
    """The unit without the scale a question names: 多少亿吨 is answered by 8500万吨."""
    return unit[1:] if len(unit) > 1 and unit[0] in "万亿" and unit != "万亿" else unit


def unit_forms(unit: str) -> tuple[str, ...]:
    """The counters a figure in `unit` may be written with: its kind, and 元 for 钱."""
    unit = _base(unit)
    if unit in ("亿", "万", "万亿"):
        return (unit,)
    forms = {unit}
    for kind in _KINDS:
        if unit in kind:
            forms.update(kind)
    forms.discard("钱")
    return tuple(sorted(forms, key=len, reverse=True))


def gives_unit(sentence: str, unit: str) -> bool:
    """Whether the sentence gives a figure in `unit` (or a counter of its kind): "2063万标箱" for 标箱,
    "近20亿元" for 钱, "36.1万户" for 家, "7.6万贫困人口" for 人."""
    # Markup and spaces inside a figure ("**1262**家", "1633亿 元"), and full-width digits, are read through.
    sentence = re.sub(r"[\s*]", "", sentence.translate(_FULL_WIDTH))
    base, forms = _base(unit), unit_forms(unit)
    if base in ("亿", "万", "万亿"):
        # Any scale answers a scale: 多少万 is answered by "1.2亿人次", 多少亿 by "8500万元".
        pattern = rf"{_NUMERAL}(?:多|余)?(?:万亿|亿|万)|\d{{5,}}"
    else:
        pattern = rf"{_NUMERAL}{_SCALE}(?:{'|'.join(re.escape(form) for form in forms)})"
    return bool(re.search(pattern, sentence) or _ELIDED.search(sentence)
                or ("人" in forms and _PEOPLE.search(sentence)) or ("户" in forms and _HOUSEHOLDS.search(sentence)))


# A total asked ("GDP总量是多少", "社零总额多少", "一共多少") is not answered by a growth rate alone ("增长5.7%"):
# the line must give a figure in some measure (亿元, 万吨, 人, 家) or a scale (3335亿). A question that asks a change
# as well ("总量多少，增长多少") is answered in part by the rate, so it is left alone.
_TOTAL_ASKED = re.compile(r"总量|总额|总规模|总值(?:是|有)?多少|一共(?:是|有)?多少|总共(?:是|有)?多少")
# A change, a share, a rank or a count of years asked instead ("总量连续多少年全省第一", "GDP总量在四川排第几").
_OTHER_ASKED = re.compile(r"增长|增速|增幅|涨|降|提高|减少|增加(?!值)|比上年|同比|翻番|百分点|几成|变化|比重|占|份额"
                          r"|排|第几|第一|首位|多少年|几年|吗|是否")
_LEVEL = re.compile(r"(?:(?<![第前\d.])\d[\d,，]*(?:\.\d+)?"
                    r"|[零一二三四五六七八九十两百千]+[万亿][零一二三四五六七八九十两百千万]*)"
                    r"(?:多|余)?(?:万亿|亿|千万|百万|万|千|百)?(?:多|余)?"
                    r"(?:元|美元|吨|斤|公斤|人次|人|名|户|家|个(?!百分点|点|月|季度)|项|件|亩|公顷|千瓦时|千瓦|度|公里|千米|平方米|平方公里|标箱|辆"
                    r"|台|套|张|床|所|座|条|方|立方米|万|亿)")


# A stock asked ("现在一共有多少张床位", "目前拥有多少家") is not answered by what one year added ("新增养老机构床位3255张").
# A question that asks what was added, built or brought in ("一共引进了多少", "成立以来新增多少") asks a flow.
_STOCK_ASKED = re.compile(r"现在|目前|现有|拥有|共有|总数|保有")
_ADDING_ASKED = re.compile(r"新增|新建|新开|建成|建设|引进|培育|认定|招|增加|开工|完成|实现|累计|期间|以来|年来|成立|投入"
                           r"|投资|签约|落地|减免|发放|兑付|脱贫|转移|改造|创建|增长|提高|降|减少|今年|去年|\d{4}年|目标|计划|要")
# What a clause says of its figure that makes it an increment.
_INCREMENT = re.compile(r"新增|新建|新开工|新培育|新引进|新认定|新设|新招|新创建|净增|增加(?!值|到|至)")
# A year's 建成 is what it built ("建成农村文化礼堂531家"); said after 累计, 共, 已, 目前, 至今, 先后 or 五年来 it counts
# all there are; 建成区 is a city's built-up area.
_BUILT = re.compile(r"建成(?!区)")
_SO_FAR = re.compile(r"累计|共|合计|已|目前|至今|先后|现|以来|年来|总")
# Where a clause that opens with an increment goes on to the total ("新增上市公司12家、累计达到198家").
_TOTAL_AFTER = re.compile(r"总数|总量|总计|累计|共计|共有|达到|达|增至|增加到|增加至")
# The units that count things, which a stock is asked in (an amount in 元 or 吨 is no count).
_COUNTERS = frozenset("家 户 个 所 座 人 名 位 张 床 项 件 条 套 辆 台".split())


# A stock named as one ("有效发明专利拥有量", "汽车保有量") is dated, not added, by a year: the count at its end.
_STOCK_NAMED = re.compile(r"拥有量|保有量|总数")
_DATED = re.compile(r"今年|去年|\d{4}年")


def asks_stock(question: str) -> bool:
    """Whether the question asks how many things there are now (a count: 多少家, 几所, 多少张), or at the end of a
    year when it names a stock (拥有量), not how many were added in some year; a rate, a share or an age asked
    "现在" is no count."""
    adding = _ADDING_ASKED.search(_DATED.sub("", question) if _STOCK_NAMED.search(question) else question)
    return (bool(_STOCK_ASKED.search(question)) and not adding
            and asks_one_figure(question) and _counted(question))


def _counted(question: str) -> bool:
    unit = asked_unit(question)
    return (unit is not None and _base(unit) in _COUNTERS) or bool(re.search(r"(?:多少|几)个", question))


def asks_total(question: str) -> bool:
    """Whether the question asks a total and nothing else ("在建的铁路有几条、一共多少公里" asks a count too)."""
    return (bool(_TOTAL_ASKED.search(question)) and not _OTHER_ASKED.search(question)
            and asks_one_figure(question))


# Words of the question (or of a synonym's wording: GDP as 经济增长) that ask for the total or a rate rather than
# name what the total is of.
_TOTAL_WORDS = frozenset({"总量", "总额", "总值", "一共", "总共", "总规模", "规模", "增长", "增速", "增幅", "速度"})
_CLAUSE = re.compile(r"[，,；;。：:]")
# A clause that opens with its total or its verb has left its subject in the clause before: "地区生产总值增长5.1%，
# 总量达到3008.61亿元".
_ELIDED_SUBJECT = re.compile(r"(?:总量|总额|总值|总数|总计|数量|规模|全年|共|累计)|(?:达到|达|实现|完成|突破|超过|为|约|近)?\d")
# A stock takes its subject from the clause before only after a word of the total: "新增上市公司12家，总数达到198家",
# not "新增养老机构床位3255张，完成1978户…改造".
_ELIDED_TOTAL = re.compile(r"总量|总额|总值|总数|总计|数量|规模|共|累计")


def gives_level(line: str, wordings: Sequence[dict[str, float]] = (), stock: bool = False) -> bool:
    """Whether the line gives a figure as a level (3335亿元, 8.7亿人次, 两亿零七百万人), not only as a rate
    (增长5.7%, 1.2倍). With the question's `wordings` (its weighted terms, in each wording), the level must be in a
    clause that says at least half of one wording, its units and total words aside: in "地区生产总值增长6%左右，
    一般公共预算收入完成496.3亿元" the level is another measure's; "…，总量达到3008.61亿元" is its subject's before.
    With `stock`, a level that a clause gives as an increment ("新增养老机构床位3255张") does not count."""
    text = re.sub(r"[\s*]", "", line.translate(_FULL_WIDTH))
    metrics = [asked for weights in wordings
               if (asked := {t: w for t, w in weights.items() if t not in _TOTAL_WORDS and not _LEVEL.fullmatch(f"1{t}")})]
    clauses = _CLAUSE.split(text)
    # With `stock`, the level is looked for only where no increment is said, or after the total that follows one;
    # the whole clause still says the subject ("新增上市公司12家，总数达到198家").
    levels = [_stock_part(clause) if stock else clause for clause in clauses]
    if not metrics:  # nothing says what the total is of: any level will do
        return any(_LEVEL.search(part) for part in levels)
    for i, clause in enumerate(clauses):
        if _LEVEL.search(levels[i]):
            # An elided subject is looked for up to three clauses back ("地区生产总值增长5%，增速连续3年居全省首位，
            # 总量突破3000亿元").
            elided = (_ELIDED_TOTAL if stock else _ELIDED_SUBJECT).match(clause)
            said = ("".join(clauses[max(0, i - 3):i]) + clause if elided else clause).lower()
            if any(sum(w for t, w in asked.items() if t in said) >= 0.5 * sum(asked.values()) for asked in metrics):
                return True
    return False


def _stock_part(clause: str) -> str:
    """The part of a clause that may give a total: all of it without an increment, else what follows the total
    said after the increment ("新增…12家、累计达到198家" -> "累计达到198家"), else nothing."""
    increment = _INCREMENT.search(clause)
    built = _BUILT.search(clause)
    if not increment and built and not _SO_FAR.search(clause, 0, built.start()):
        increment = built
    if not increment:
        return clause
    total = _TOTAL_AFTER.search(clause, increment.end())
    before = clause[:increment.start()]
    return before + (clause[total.start():] if total else "")
