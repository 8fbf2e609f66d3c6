#!/usr/bin/env python3
"""Reword a dev set's questions the ways people type the same thing, to measure whether answers survive it.

Each transform keeps the meaning and changes only how it is typed: the spelling of a year or a place, or the
courtesy and punctuation around the question:

  fullwidth    2021年 -> ２０２１年, GDP -> ＧＤＰ   (an input method in full-width mode)
  short_year   2021年 -> 21年
  cn_year      2021年 -> 二〇二一年
  full_place   杭州 -> 杭州市, 浙江 -> 浙江省       (short names spelled out)
  short_place  杭州市 -> 杭州, 浙江省 -> 浙江       (full names shortened)
  traditional  经济增长目标 -> 經濟增長目標         (OpenCC s2t: a reader from Hong Kong or Taiwan)
  year_first   浙江2021年GDP -> 2021年浙江GDP, and back (the year and the place that open a question swap)
  polite       … -> 请问…                          (the question opens with a courtesy)
  chatty       … -> 帮我查一下，…，谢谢！             (a request wrapped in chat)
  ascii_punct  ，？！：；（）、 -> , ? ! : ; ( ) ,  (an input method in half-width punctuation mode)
  bare         trailing ？ / ? / 。 dropped         (typed like a search box)
  spaced       浙江2021年GDP目标 -> 浙江 2021年 GDP目标 (spaces around every year and place)
  gdp_formal   GDP -> 地区生产总值 (国内生产总值 where the question is national)
  gdp_short    地区生产总值, 国内生产总值 -> GDP
  colloquial   社会消费品零售总额 -> 社零, 城镇新增就业 -> 新增就业, 固定资产投资 -> 固投, … (the words people say)

For each transform, OUT/<transform>.jsonl holds the questions it changed and OUT/<transform>.orig.jsonl the
same questions as written, so `reportqa eval` on the pair compares like with like (splits are kept).

Usage: python eval/phrasing_variants.py eval/corpus_qa.jsonl --out /tmp/variants [--transform NAME ...]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.lang.places import PlaceMatcher, short_name  # noqa: E402

_YEAR = re.compile(r"(?<!\d)((?:19[5-9]|20[0-4])\d)(?=年)")
_ASCII = re.compile(r"[0-9A-Za-z%.]")


def fullwidth(question: str, _matcher: PlaceMatcher) -> str:
    return _ASCII.sub(lambda m: chr(ord(m.group(0)) + 0xFEE0), question)


def short_year(question: str, _matcher: PlaceMatcher) -> str:
    return _YEAR.sub(lambda m: m.group(1)[2:], question)


def cn_year(question: str, _matcher: PlaceMatcher) -> str:
    return _YEAR.sub(lambda m: "".join("〇一二三四五六七八九"[int(d)] for d in m.group(1)), question)


def _replace_places(question: str, matcher: PlaceMatcher, spell: Callable[[str, str], str]) -> str:
    out, pos = [], 0
    for mention in matcher.mentions(question):
        if mention.national_word or mention.place.level == "national" or mention.start < pos:
            continue  # a group (京津冀) is one mention per member, at one place in the text
        said = question[mention.start:mention.end]
        out += [question[pos:mention.start], spell(said, mention.place.name)]
        pos = mention.end
    return "".join([*out, question[pos:]])


def full_place(question: str, matcher: PlaceMatcher) -> str:
    return _replace_places(question, matcher, lambda said, name: name if said == short_name(name) else said)


def short_place(question: str, matcher: PlaceMatcher) -> str:
    return _replace_places(question, matcher, lambda said, name: short_name(name) if said == name else said)


_OPENING = re.compile(r"^((?:19|20)\d{2}年)(.+)$")


def year_first(question: str, matcher: PlaceMatcher) -> str:
    mentions = [m for m in matcher.mentions(question) if not m.national_word]
    year = _OPENING.match(question)
    if year and mentions and mentions[0].start == len(year.group(1)):  # 2021年浙江… -> 浙江2021年…
        end = mentions[0].end
        return question[len(year.group(1)):end] + year.group(1) + question[end:]
    if mentions and mentions[0].start == 0:  # 浙江2021年… -> 2021年浙江…
        rest = _OPENING.match(question[mentions[0].end:])
        if rest:
            return rest.group(1) + question[:mentions[0].end] + rest.group(2)
    return question


def traditional(question: str, _matcher: PlaceMatcher) -> str:
    import opencc

    return str(opencc.OpenCC("s2t").convert(question))


def polite(question: str, _matcher: PlaceMatcher) -> str:
    return question if question.startswith("请问") else "请问" + question


def chatty(question: str, _matcher: PlaceMatcher) -> str:
    return "帮我查一下，" + question.rstrip("？?。") + "，谢谢！"


_HALF = str.maketrans({"，": ",", "？": "?", "！": "!", "：": ":", "；": ";", "（": "(", "）": ")", "、": ","})


def ascii_punct(question: str, _matcher: PlaceMatcher) -> str:
    return question.translate(_HALF)


def bare(question: str, _matcher: PlaceMatcher) -> str:
    return question.rstrip("？?。")


def spaced(question: str, matcher: PlaceMatcher) -> str:
    cuts = {0, len(question)}
    for mention in matcher.mentions(question):
        if not mention.national_word:
            cuts |= {mention.start, mention.end}
    for m in _YEAR.finditer(question):
        cuts |= {m.start(), m.end() + 1}  # the year and its 年
    edges = sorted(cuts)
    parts = [question[a:b] for a, b in zip(edges, edges[1:], strict=False)]
    return " ".join(p.strip() for p in parts if p.strip())


def gdp_formal(question: str, matcher: PlaceMatcher) -> str:
    national = any(m.national_word or m.place.level == "national" for m in matcher.mentions(question))
    return question.replace("GDP", "国内生产总值" if national else "地区生产总值")


def gdp_short(question: str, _matcher: PlaceMatcher) -> str:
    return re.sub("(?:地区|国内)生产总值", "GDP", question)


_COLLOQUIAL = {"社会消费品零售总额": "社零", "城镇新增就业": "新增就业", "居民人均可支配收入": "人均收入",
               "固定资产投资": "固投", "高新技术企业": "高企", "居民消费价格": "CPI", "一般公共预算收入": "财政收入"}


def colloquial(question: str, _matcher: PlaceMatcher) -> str:
    for formal, said in _COLLOQUIAL.items():
        question = question.replace(formal, said)
    return question


TRANSFORMS: dict[str, Callable[[str, PlaceMatcher], str]] = {
    "fullwidth": fullwidth, "short_year": short_year, "cn_year": cn_year,
    "full_place": full_place, "short_place": short_place, "traditional": traditional,
    "year_first": year_first, "polite": polite, "chatty": chatty, "ascii_punct": ascii_punct, "bare": bare,
    "spaced": spaced, "gdp_formal": gdp_formal, "gdp_short": gdp_short,
    "colloquial": colloquial,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dev", type=Path)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--transform", action="append", choices=sorted(TRANSFORMS))
    args = ap.parse_args(argv)
    rows = [json.loads(line) for line in args.dev.read_text(encoding="utf-8").splitlines() if line.strip()]
    matcher = PlaceMatcher()
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.transform or sorted(TRANSFORMS):
        changed = [(row, TRANSFORMS[name](row["question"], matcher)) for row in rows]
        changed = [(row, new) for row, new in changed if new != row["question"]]
        with open(args.out / f"{name}.jsonl", "w", encoding="utf-8") as fh:
            for row, new in changed:
                fh.write(json.dumps({**row, "question": new}, ensure_ascii=False) + "\n")
        with open(args.out / f"{name}.orig.jsonl", "w", encoding="utf-8") as fh:
            for row, _ in changed:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{name}: {len(changed)} of {len(rows)} questions reworded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
